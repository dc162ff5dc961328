"""Outbound SMS jobs: send queued rows, sweep up after crashes, fan out broadcasts."""

from __future__ import annotations

from services import broadcasts
from services.gateways import gateway_for
from services.sending import deliver, sweep
from worker.process import context


def send_sms(sms_id: int) -> int:
    """Send one queued SMS (queued by `services.outbox.queue_sms`); 1 if AT accepted it."""
    return send_batch([sms_id])


def send_batch(sms_ids: list[int]) -> int:
    """Send queued SMS, one API call per text and batch; return how many AT accepted."""
    ctx = context()
    return deliver(ctx, sms_ids, gateway_for(ctx.settings))


def sweep_outbox() -> dict[str, int]:
    """Re-enqueue queued SMS whose job was lost; flag SMS stuck in `sending` for review."""
    ctx = context()
    return {**sweep(ctx), "broadcasts": broadcasts.resume_stalled(ctx)}


def fan_out_broadcast(broadcast_id: int) -> int:
    """Write one outbox row per recipient of a broadcast; return how many were new."""
    return broadcasts.fan_out(context(), broadcast_id)
