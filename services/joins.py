"""Requests to join a savings group (from USSD): staff mark them contacted, then enrolled."""

from __future__ import annotations

from models import JoinRequest, JoinStatus

#: Where a join request may go from each status (enrolled is the end of the road).
JOIN_NEXT: dict[JoinStatus, tuple[JoinStatus, ...]] = {
    JoinStatus.WAITING: (JoinStatus.CONTACTED, JoinStatus.ENROLLED),
    JoinStatus.CONTACTED: (JoinStatus.ENROLLED,),
    JoinStatus.ENROLLED: (),
}


def move_join_request(request: JoinRequest, status: JoinStatus) -> bool:
    """Mark a join request contacted or enrolled; False when that move is not allowed."""
    if status not in JOIN_NEXT[request.status]:
        return False
    request.status = status
    return True
