"""The jobs: plain functions taking ids. Each opens its own database session."""

from __future__ import annotations
