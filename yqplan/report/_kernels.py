"""One long-lived Jupyter kernel per report worker, reused from notebook to notebook.

A fresh kernel per report costs a kernel start-up and shut-down and the first cell's
imports (pandas, matplotlib, yqplan) every time: about 2 s of the 3–7 s a report takes.
:class:`KeptKernel` keeps one kernel in a worker process and runs the worker's
notebooks in it one after the other, still through papermill (the tagged ``parameters``
cell, the injected-parameters cell, per-cell timing, error cells: the executed notebook is
the one papermill writes).

Before each notebook a *reset* runs in the kernel (:data:`RESET`, outside the notebook,
so nothing of it appears in the executed notebook): figures closed, matplotlib's settings
back to its defaults, pandas' options and numpy's error handling too, the IPython namespace, history and execution count cleared (the
next notebook's cells are numbered from 1, as in a new kernel), the working directory,
``sys.path``, the environment and the warning filters as the kernel had them before its
first notebook (and the warning registries forgotten, so a warning shown by one report
is shown again by the next).  What stays are the imported modules: that is the saving.
A notebook that fails, times out or kills its kernel gets the kernel replaced before the
worker runs another one.

The kernel's own stderr (start-up chatter, C-level warnings the kernel does not capture)
goes to the log of the report running at the time (:meth:`KeptKernel.log_to`), as it did
with a kernel per report.  The kernel is a child of the worker and dies with it
(:mod:`yqplan.report.run` kills a worker's descendants when the run is stopped; at a
normal end the worker shuts its kernel down).
"""

from __future__ import annotations

import contextlib
import os
import threading

#: Run in the kept kernel before every notebook (``{cwd!r}`` filled in).  The first run in a
#: kernel records how the kernel started (filters, path, environment) in a module of its own,
#: which the IPython reset does not touch.
RESET = """\
def _yqplan_reset(cwd):
    import os, sys, types, warnings
    ip = get_ipython()
    state = sys.modules.get("_yqplan_kept_kernel")
    if state is None:  # before the kernel's first notebook: how a new kernel starts
        state = types.ModuleType("_yqplan_kept_kernel")
        state.filters, state.path = list(warnings.filters), list(sys.path)
        state.environ = dict(os.environ)
        sys.modules[state.__name__] = state
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:  # the settings of a new import (matplotlibrc), backend kept
        mpl.rc_file_defaults()
    pd = sys.modules.get("pandas")
    if pd is not None:  # display and mode options as on import
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated options warn when reset
            pd.reset_option("all")
    np = sys.modules.get("numpy")
    if np is not None:  # numpy's documented default floating-point error handling
        np.seterr(divide="warn", over="warn", under="ignore", invalid="warn")
    warnings.filters[:] = state.filters
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:  # forget which warnings were already shown
        mutated()
    sys.path[:] = state.path
    if dict(os.environ) != state.environ:
        os.environ.clear()
        os.environ.update(state.environ)
    os.chdir(cwd)
    ip.reset(new_session=True)  # namespace, In/Out, history; execution count back to 1
_yqplan_reset({cwd!r})
"""


class KernelResetError(RuntimeError):
    """The reset before a notebook failed in the kept kernel (the kernel is replaced)."""


def _engine():
    """papermill's nbclient engine, running in a kept kernel after :data:`RESET`."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, logger

    class KeptClient(PapermillNotebookClient):
        reset_code = ""

        def papermill_execute_cells(self):
            # silent, not stored: no execution count used, nothing in the notebook
            msg_id = self.kc.execute(self.reset_code, silent=True, store_history=False)
            reply = self.wait_for_reply(msg_id)
            content = (reply or {}).get("content") or {}
            if content.get("status") != "ok":
                raise KernelResetError(f"resetting the kept kernel failed: {content.get('ename')}: "
                                       f"{content.get('evalue')}")
            super().papermill_execute_cells()

    class KeptEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     km=None, reset_code="", **kwargs):
            kwargs.pop("input_path", None)
            client = KeptClient(nb_man, km=km, timeout=execution_timeout,
                                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                                log_output=log_output, stdout_file=stdout_file,
                                stderr_file=stderr_file, **kwargs)
            client.reset_code = reset_code
            # papermill rewrites the whole output notebook before and after every cell (≈ 70
            # writes a report, images included); it is written once when the notebook ends
            # (papermill's notebook_complete, also after an error or a timeout)
            output_path, nb_man.output_path = nb_man.output_path, None
            try:
                return client.execute()  # a kernel manager it was given: it does not stop the kernel
            finally:
                nb_man.output_path = output_path
                if client.kc is not None:
                    client.kc.stop_channels()

    return KeptEngine


class KeptKernel:
    """A kernel kept by one worker process for all the notebooks it runs.

    Parameters
    ----------
    kernel_name : str
        The kernel spec (papermill's ``kernel_name``).
    cwd : path-like
        Where the kernel starts (each notebook's ``cwd`` is set by the reset).
    """

    ENGINE = "yqplan-kept-kernel"

    def __init__(self, kernel_name: str = "python3", cwd=None):
        self.kernel_name = kernel_name
        self.cwd = str(cwd) if cwd else os.getcwd()
        self.km = None
        self.starts = 0  # kernels started (1 + replacements)
        self._lock = threading.Lock()
        self._sink: int | None = None  # fd the kernel's stderr goes to now
        self._pending: list[bytes] = []  # stderr written between two reports

    # ---------------------------------------------------------------- the kernel process
    def start(self) -> None:
        """Launch the kernel (returns once the process runs; readiness is awaited per notebook)."""
        from jupyter_client import AsyncKernelManager
        from jupyter_core.utils import run_sync

        read, write = os.pipe()
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        try:
            # nbclient starts its kernels with an in-memory history: the same here
            run_sync(km.start_kernel)(cwd=self.cwd, stderr=write,
                                      extra_arguments=["--HistoryManager.hist_file=:memory:"])
        finally:
            os.close(write)
        threading.Thread(target=self._forward, args=(read,), name="yqplan-kernel-stderr",
                         daemon=True).start()
        self.km = km
        self.starts += 1

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        """Stop the kernel at once (nothing of it is needed after a report)."""
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        if km is None:
            return
        with contextlib.suppress(Exception):
            run_sync(km.shutdown_kernel)(now=True)
        with contextlib.suppress(Exception):
            run_sync(km.cleanup_resources)()

    def replace(self) -> None:
        """A new kernel instead of the current one (after a failed or timed-out notebook)."""
        self.shutdown()
        self.start()

    # ---------------------------------------------------------------- stderr → the report's log
    def _forward(self, read: int) -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(read, 65536):
                with self._lock:
                    if self._sink is None:
                        if sum(map(len, self._pending)) < 1 << 20:
                            self._pending.append(chunk)
                    else:
                        with contextlib.suppress(OSError):
                            os.write(self._sink, chunk)
        with contextlib.suppress(OSError):
            os.close(read)

    @contextlib.contextmanager
    def log_to(self, fd: int):
        """While inside, the kernel's stderr (and what it wrote since the last report) goes to ``fd``."""
        with self._lock:
            for chunk in self._pending:
                with contextlib.suppress(OSError):
                    os.write(fd, chunk)
            self._pending.clear()
            self._sink = fd
        try:
            yield
        finally:
            with self._lock:
                self._sink = None

    # ---------------------------------------------------------------- one notebook
    def execute_notebook(self, input_path, output_path, *, parameters: dict, cwd, timeout: int,
                         start_timeout: int = 120) -> None:
        """Run one notebook with papermill in this kernel, after the reset.

        Raises what :func:`papermill.execute_notebook` raises (``PapermillExecutionError``
        for a cell error, a timeout or dead-kernel error) and :class:`KernelResetError`; the
        caller replaces the kernel after any of them (:meth:`replace`).
        """
        import papermill as pm
        from papermill.engines import papermill_engines

        if self.ENGINE not in papermill_engines._engines:
            papermill_engines.register(self.ENGINE, _engine())
        if self.km is None or not self.alive():
            self.replace()
        pm.execute_notebook(str(input_path), str(output_path), parameters=parameters,
                            kernel_name=self.kernel_name, engine_name=self.ENGINE,
                            progress_bar=False, execution_timeout=timeout,
                            start_timeout=start_timeout, cwd=str(cwd), km=self.km,
                            reset_code=RESET.format(cwd=str(cwd)))


#: The kept kernel of this worker process (set by the worker's initializer; None in any
#: other process, where every report gets a kernel of its own).
_WORKER: KeptKernel | None = None


def worker_kernel() -> KeptKernel | None:
    """This worker process's kept kernel, or None (a kernel per report)."""
    return _WORKER


def keep_kernel_in_worker(kernel_name: str = "python3", cwd=None) -> KeptKernel:
    """Give this worker process a kept kernel, launched now, shut down when the worker ends."""
    global _WORKER
    from multiprocessing import util

    kernel = KeptKernel(kernel_name, cwd)
    with contextlib.suppress(Exception):  # else the first report starts it (and says why not)
        kernel.start()
    util.Finalize(None, kernel.shutdown, exitpriority=10)  # run by the worker's normal exit
    _WORKER = kernel
    return kernel


__all__ = ["KeptKernel", "KernelResetError", "RESET", "keep_kernel_in_worker", "worker_kernel"]
