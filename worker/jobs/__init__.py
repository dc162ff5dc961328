"""Jobs, one module per concern. A job is a plain function taking ids, a few lines that open a
session with the context `worker.process.context()` gives and call a service.

`JOBS` names every job the layers enqueue or schedule by dotted path (they cannot import
worker/); a test checks that each resolves and that no other path is used anywhere.
"""

JOBS: tuple[str, ...] = (
    "worker.jobs.inbound.process_inbound",
    "worker.jobs.inbound.alert_case",
    "worker.jobs.inbound.alert_open_cases",
    "worker.jobs.inbound.sweep_inbound",
    "worker.jobs.outbound.send_sms",
    "worker.jobs.outbound.send_batch",
    "worker.jobs.outbound.sweep_outbox",
    "worker.jobs.outbound.fan_out_broadcast",
    "worker.jobs.reminders.queue_due_reminders",
    "worker.jobs.tvet.graduate_ended_intakes",
    "worker.jobs.ussd.record_hop",
    "worker.jobs.ussd.store_hops",
)
