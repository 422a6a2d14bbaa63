# SPDX-License-Identifier: Apache-2.0
"""A small Python binding of libvitals through its C API (vitals.h), with
nothing but the standard library's ctypes.

    from vitals_ctypes import Vitals
    lib = Vitals("/usr/local/lib/libvitals.so")
    with lib.open_engine(store=":memory:") as engine:
        engine.load_catalogue("examples/norfolk")
        engine.ingest("dashboard", [("dtoc_social_care_per_100k", "2017-03", 3.56, None, None, None)])
        report = engine.evaluate("2017-03", record_run=False)
        print(report.json()["exceptions"])

Errors raise VitalsError with the library's status name and message.
"""

import ctypes
import json
import math

__all__ = ["Vitals", "VitalsError"]


class VitalsError(RuntimeError):
    """A call into libvitals failed; `status` is its name, e.g. "validation_error"."""

    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


_c_char_pp = ctypes.POINTER(ctypes.c_char_p)


class Vitals:
    """The loaded library."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        self._lib = lib
        handle = ctypes.c_void_p
        out_handle = ctypes.POINTER(ctypes.c_void_p)
        out_text = ctypes.POINTER(ctypes.c_void_p)  # freed with vitals_free
        signatures = {
            "vitals_version": (ctypes.c_char_p, []),
            "vitals_status_name": (ctypes.c_char_p, [ctypes.c_int]),
            "vitals_last_error": (ctypes.c_char_p, []),
            "vitals_free": (None, [ctypes.c_void_p]),
            "vitals_options_new": (handle, []),
            "vitals_options_free": (None, [handle]),
            "vitals_options_set": (ctypes.c_int, [handle, ctypes.c_char_p, ctypes.c_char_p]),
            "vitals_engine_open": (ctypes.c_int, [handle, out_handle]),
            "vitals_engine_free": (None, [handle]),
            "vitals_engine_load_catalogue": (ctypes.c_int, [handle, ctypes.c_char_p]),
            "vitals_engine_diagnostics": (ctypes.c_int, [handle, out_text]),
            "vitals_engine_indicators": (ctypes.c_int, [handle, out_text]),
            "vitals_engine_ingest_sources": (ctypes.c_int, [handle, out_text]),
            "vitals_batch_new": (handle, []),
            "vitals_batch_free": (None, [handle]),
            "vitals_batch_add": (ctypes.c_int, [handle, ctypes.c_char_p, ctypes.c_char_p,
                                                ctypes.c_double, ctypes.c_double,
                                                ctypes.c_double, ctypes.c_double]),
            "vitals_engine_ingest": (ctypes.c_int, [handle, ctypes.c_char_p, handle, out_text]),
            "vitals_engine_evaluate": (ctypes.c_int, [handle, ctypes.c_char_p, ctypes.c_int,
                                                      out_handle]),
            "vitals_report_free": (None, [handle]),
            "vitals_report_indicator_count": (ctypes.c_size_t, [handle]),
            "vitals_report_exception_count": (ctypes.c_size_t, [handle]),
            "vitals_report_run_id": (ctypes.c_int64, [handle]),
            "vitals_report_complete": (ctypes.c_int, [handle]),
            "vitals_report_incomplete_count": (ctypes.c_size_t, [handle]),
            "vitals_report_incomplete_message": (ctypes.c_char_p, [handle, ctypes.c_size_t]),
            "vitals_report_render": (ctypes.c_int, [handle, ctypes.c_char_p, out_text]),
            "vitals_engine_render_report": (ctypes.c_int, [handle, handle, ctypes.c_char_p,
                                                           out_text]),
            "vitals_engine_render_card": (ctypes.c_int, [handle, handle, ctypes.c_char_p,
                                                         ctypes.c_char_p, out_text]),
        }
        for name, (restype, argtypes) in signatures.items():
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = argtypes

    @property
    def version(self):
        return self._lib.vitals_version().decode()

    def check(self, status):
        if status != 0:
            name = self._lib.vitals_status_name(status).decode()
            raise VitalsError(name, self._lib.vitals_last_error().decode("utf-8", "replace"))

    def take_text(self, fill):
        """Calls fill(out) with a char** and returns the text, freeing it."""
        out = ctypes.c_void_p()
        self.check(fill(ctypes.byref(out)))
        try:
            return ctypes.string_at(out.value).decode("utf-8")
        finally:
            self._lib.vitals_free(out)

    def open_engine(self, **options):
        """Opens an engine. Options are those of vitals_options_set, e.g.
        store="vitals.db", threads=2, rule_dir="rules"; list values add one each."""
        lib = self._lib
        handle = lib.vitals_options_new()
        try:
            for key, value in options.items():
                for v in value if isinstance(value, (list, tuple)) else [value]:
                    self.check(lib.vitals_options_set(handle, key.encode(), str(v).encode()))
            engine = ctypes.c_void_p()
            self.check(lib.vitals_engine_open(handle, ctypes.byref(engine)))
        finally:
            lib.vitals_options_free(handle)
        return Engine(self, engine)


def _figure(x):
    return math.nan if x is None else float(x)


class Engine:
    """An open engine; use it from one thread at a time."""

    def __init__(self, vitals, handle):
        self._v = vitals
        self._lib = vitals._lib
        self._handle = handle

    def close(self):
        if self._handle:
            self._lib.vitals_engine_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def load_catalogue(self, directory):
        self._v.check(self._lib.vitals_engine_load_catalogue(self._handle,
                                                             str(directory).encode()))

    def diagnostics(self):
        return json.loads(self._v.take_text(
            lambda out: self._lib.vitals_engine_diagnostics(self._handle, out)))

    def indicators(self):
        return json.loads(self._v.take_text(
            lambda out: self._lib.vitals_engine_indicators(self._handle, out)))

    def ingest_sources(self):
        return json.loads(self._v.take_text(
            lambda out: self._lib.vitals_engine_ingest_sources(self._handle, out)))

    def ingest(self, source, rows):
        """Stores rows of (series key, period, value, numerator, denominator,
        target) for `source` in one transaction; None is a blank figure."""
        lib = self._lib
        batch = lib.vitals_batch_new()
        try:
            for key, period, value, numerator, denominator, target in rows:
                self._v.check(lib.vitals_batch_add(
                    batch, key.encode(), period.encode(), _figure(value), _figure(numerator),
                    _figure(denominator), _figure(target)))
            return json.loads(self._v.take_text(
                lambda out: lib.vitals_engine_ingest(self._handle, source.encode(), batch, out)))
        finally:
            lib.vitals_batch_free(batch)

    def evaluate(self, period, record_run=True):
        report = ctypes.c_void_p()
        self._v.check(self._lib.vitals_engine_evaluate(self._handle, period.encode(),
                                                       1 if record_run else 0,
                                                       ctypes.byref(report)))
        return Report(self, report)


class Report:
    """One evaluation; freed when garbage-collected or closed."""

    def __init__(self, engine, handle):
        self._engine = engine
        self._v = engine._v
        self._lib = engine._lib
        self._handle = handle

    def close(self):
        if self._handle:
            self._lib.vitals_report_free(self._handle)
            self._handle = None

    def __del__(self):
        self.close()

    @property
    def indicator_count(self):
        return self._lib.vitals_report_indicator_count(self._handle)

    @property
    def exception_count(self):
        return self._lib.vitals_report_exception_count(self._handle)

    @property
    def run_id(self):
        return self._lib.vitals_report_run_id(self._handle)

    @property
    def complete(self):
        """False when a source or rule failed: the report must then say so."""
        return self._lib.vitals_report_complete(self._handle) == 1

    @property
    def incomplete(self):
        """Why the run is incomplete, one sentence per reason."""
        n = self._lib.vitals_report_incomplete_count(self._handle)
        return [self._lib.vitals_report_incomplete_message(self._handle, i).decode()
                for i in range(n)]

    def render(self, fmt="text"):
        """The exception summary: "json", "markdown" or "text"."""
        return self._v.take_text(
            lambda out: self._lib.vitals_report_render(self._handle, fmt.encode(), out))

    def json(self):
        return json.loads(self.render("json"))

    def committee_report(self, fmt="html"):
        return self._v.take_text(lambda out: self._lib.vitals_engine_render_report(
            self._engine._handle, self._handle, fmt.encode(), out))

    def card(self, indicator_id, fmt="html"):
        return self._v.take_text(lambda out: self._lib.vitals_engine_render_card(
            self._engine._handle, self._handle, indicator_id.encode(), fmt.encode(), out))
