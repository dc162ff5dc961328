"""Queues, jobs and the schedule: RQ when REDIS_URL is set, an in-process runner otherwise."""
