"""The JSON API beside the pages: the same reads, for scripts and the transparency officer."""

from fastapi import APIRouter

router = APIRouter(prefix="/api")
