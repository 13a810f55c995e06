"""The bundle parts that write the PDFs: a signed casebook per subject and the signed annotated blank CRF.

Each casebook is laid out (in a worker process when the site is big enough: `casebook_pool`) as soon as its
subject arrives, then signed and written by this process, so no more than a few subjects' documents are ever
in memory, whatever the size of the site. The blank CRF depends on the study definition only and is written
once, when the export finishes.
"""
from __future__ import annotations

from concurrent.futures import Future

from ecrf.errors import Bug
from ecrf.export.bundle import layout
from ecrf.export.pdf.blank_crf import blank_crf_pdf
from ecrf.export.pdf.casebook import casebook_pdf
from ecrf.export.pdf.casebook_pool import CasebookPool
from ecrf.export.pdf.sign import PdfSigner, sign_pdf
from ecrf.export.records import AuditRecord, ExportContext, SubjectRecord


class CasebookPart:
    """Writes `pdf/casebooks/<subject>.pdf` for each subject, signed with the site's key. Lays them out in
    `pool` (started early by the caller, which closes it; released here) or, with `pooled` and no pool given,
    in one it starts and closes."""

    def __init__(self, *, sign: bool = True, pool: CasebookPool | None = None, pooled: bool = True) -> None:
        self._ctx: ExportContext | None = None
        self._sign = sign  # the benchmark times the layout alone too
        self._pooled = pooled
        self.pool = pool
        self._owns_pool = False  # started here: closed here; else its owner waits for its workers to exit
        self._signer: PdfSigner | None = None

    def begin(self, ctx: ExportContext) -> None:
        self._ctx = ctx
        self._signer = PdfSigner(ctx.identity) if self._sign else None
        (ctx.staging / layout.casebook_pdf("_")).parent.mkdir(parents=True, exist_ok=True)
        if self.pool is None and self._pooled:
            self.pool = CasebookPool.start(ctx.study, ctx.subject_count)
            self._owns_pool = self.pool is not None
        if self.pool is not None:
            self.pool.bind(ctx)

    def add_subject(self, subject: SubjectRecord) -> None:
        ctx = _started(self._ctx, self)
        if self.pool is None:
            self._write(ctx, subject, casebook_pdf(ctx, subject))
            return
        for done, pdf in self.pool.lay_out(subject):
            self._write(ctx, done, pdf)

    def add_audit_event(self, event: AuditRecord) -> None:
        """Nothing to do: each subject record carries its own events."""

    def finish(self) -> None:
        ctx = _started(self._ctx, self)
        if self.pool is not None:
            for done, pdf in self.pool.drain():
                self._write(ctx, done, pdf)

    def close(self) -> None:
        self._ctx = self._signer = None
        if self.pool is None:
            return
        if self._owns_pool:
            self.pool.close()
        else:
            self.pool.release()  # its owner waits for the workers, after the manifest and the zip

    def _write(self, ctx: ExportContext, subject: SubjectRecord, pdf: bytes) -> None:
        if self._signer is not None:
            pdf = self._signer.sign(pdf, reason=f"Casebook of subject {subject.label}, export {ctx.export_seq}",
                                    location=_location(ctx))
        (ctx.staging / layout.casebook_pdf(subject.label)).write_bytes(pdf)


class BlankCrfPart:
    """Writes `pdf/blank_crf.pdf` once, when the export finishes, signed with the site's key; laid out by a
    worker of `pool` from the start when there is one."""

    def __init__(self, pool: CasebookPool | None = None) -> None:
        self._ctx: ExportContext | None = None
        self._pool = pool
        self._laid_out: Future[bytes] | None = None

    def begin(self, ctx: ExportContext) -> None:
        self._ctx = ctx
        if self._pool is not None:
            self._pool.bind(ctx)
            self._laid_out = self._pool.blank_crf()

    def add_subject(self, subject: SubjectRecord) -> None:
        """Nothing: the blank CRF shows the definition, no data."""

    def add_audit_event(self, event: AuditRecord) -> None:
        """Nothing: the blank CRF shows the definition, no data."""

    def finish(self) -> None:
        ctx = _started(self._ctx, self)
        pdf = sign_pdf(self._layout(ctx), ctx.identity, reason=f"Annotated blank CRF, export {ctx.export_seq}",
                       location=_location(ctx))
        target = ctx.staging / layout.BLANK_CRF
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)

    def close(self) -> None:
        self._ctx = None
        if self._laid_out is not None:
            self._laid_out.cancel()
            self._laid_out = None

    def _layout(self, ctx: ExportContext) -> bytes:
        if self._laid_out is not None:
            try:
                return self._laid_out.result()
            except Exception:  # noqa: BLE001 - the pool broke (and logged why): laid out here instead
                pass
        return blank_crf_pdf(ctx)


def _started(ctx: ExportContext | None, part: object) -> ExportContext:
    if ctx is None:
        raise Bug(f"{type(part).__name__}.begin was not called")
    return ctx


def _location(ctx: ExportContext) -> str:
    return f"Site {ctx.site.site_code} {ctx.site.site_name}"
