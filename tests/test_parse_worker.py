"""Uploads parsed in a worker process (casemap/parse_worker.py): the same answer, and no worker left behind."""

from __future__ import annotations

import multiprocessing
import os
import pickle

import pytest

from casemap import importer, parse_worker
from casemap.importer import ImportFileError
from tests.test_hardening import generated_suspects


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_worker_answers_as_the_importer_does():
    data = generated_suspects(500)
    here, there = importer.import_file(data, "s.csv"), parse_worker.parse_upload(data, "s.csv", lambda: None)
    assert there.sha256 == here.sha256 and len(there.lists) == 1
    ours, theirs = here.lists[0], there.lists[0]
    assert (theirs.rows, theirs.accepted, theirs.rejected) == (ours.rows, ours.accepted, ours.rejected)
    assert theirs.frame.equals(ours.frame) and list(theirs.rejects) == list(ours.rejects)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("data, code", [(b"", "empty"), (b"x," * 2_000 + b"\n", "too_many_columns")])
def test_a_refusal_comes_back_with_its_code_and_message(data, code):
    error = parse_worker.parse_upload(data, "bad.csv", lambda: None)
    assert isinstance(error, ImportFileError) and error.code == code
    with pytest.raises(ImportFileError) as caught:
        importer.import_file(data, "bad.csv")
    assert error.message("en") == caught.value.message("en") and error.message("zh") == caught.value.message("zh")


def test_an_import_file_error_pickles_with_its_params():
    error = ImportFileError("too_large", size_mb="60.0", limit_mb=50)
    again = pickle.loads(pickle.dumps(error))
    assert (again.code, again.params, again.message("zh")) == (error.code, error.params, error.message("zh"))


class Left(Exception):
    """What a stopped script run raises at its next call (Streamlit's StopException, here)."""


def test_the_worker_is_killed_when_the_waiting_ends():
    seen = []

    def tick():
        (worker,) = multiprocessing.active_children()
        seen.append(worker.pid)
        raise Left

    with pytest.raises(Left):
        parse_worker.parse_upload(generated_suspects(200_000), "large.csv", tick)
    (pid,) = seen
    assert gone(pid) and multiprocessing.active_children() == []
