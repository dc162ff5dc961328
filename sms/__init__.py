"""The SMS edge: callbacks, keyword commands, gateways, GSM-7 and the outbox."""
