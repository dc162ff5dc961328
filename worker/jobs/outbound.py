"""Outbound SMS jobs: send queued rows, sweep up after crashes, fan out broadcasts."""

from __future__ import annotations

from sms import broadcasts
from sms.gateways import gateway_for
from sms.sending import deliver, sweep
from worker.context import current


def send_sms(sms_id: int) -> int:
    """Send one queued SMS (queued by `sms.outbox.queue_sms`); return 1 if AT accepted it."""
    return send_batch([sms_id])


def send_batch(sms_ids: list[int]) -> int:
    """Send queued SMS, one API call per text and batch; return how many AT accepted."""
    ctx = current()
    return deliver(ctx, sms_ids, gateway_for(ctx.settings))


def sweep_outbox() -> dict[str, int]:
    """Re-enqueue queued SMS whose job was lost; flag SMS stuck in `sending` for review."""
    return {**sweep(current()), "broadcasts": broadcasts.resume_stalled(current())}


def fan_out_broadcast(broadcast_id: int) -> int:
    """Write one outbox row per recipient of a broadcast; return how many were new."""
    return broadcasts.fan_out(current(), broadcast_id)
