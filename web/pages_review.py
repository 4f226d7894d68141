"""The review pages: audit findings, the trail, the diff, one event, the integrity."""

from fastapi import APIRouter

router = APIRouter()
