"""The USSD edge: Africa's Talking's form in, `CON`/`END` out, never an HTTP error."""
