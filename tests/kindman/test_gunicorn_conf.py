"""gunicorn.conf.py takes what a worker keeps for its whole life out of garbage-collection
passes, so no request pays for a pass over the loaded app."""

import gc
import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def config():
    gc.unfreeze()
    yield runpy.run_path(str(CONFIG))
    gc.unfreeze()


def test_a_worker_freezes_what_loading_the_app_created(config):
    config["post_worker_init"](None)
    assert gc.get_freeze_count() > 0


def test_a_worker_freezes_again_once_its_first_pages_are_served(config):
    config["post_worker_init"](None)
    after_start = gc.get_freeze_count()
    loaded_later = [[n] for n in range(10_000)]  # as templates compiled by the first pages
    for _ in range(config["WARM_AFTER_REQUESTS"] - 1):
        config["post_request"](None, None, {}, None)
    assert gc.get_freeze_count() < after_start + len(loaded_later)
    config["post_request"](None, None, {}, None)
    assert gc.get_freeze_count() >= after_start + len(loaded_later)
