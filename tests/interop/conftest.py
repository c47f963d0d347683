import pytest

from sandbox_clients import running_sandbox


@pytest.fixture(scope="module")
def sandbox():
    """One sandbox per test module, seeded with sandbox_clients.SEED."""
    with running_sandbox() as url:
        yield url
