"""Reports: the run (``run``: typed parameters, papermill workers, atomic ``latest``),
the HTML (``render``) and Word (``word``) output, the words (``present`` and the
``*_text`` modules), figures (``plots``, ``plots_air``) and maps (``maps``)."""

from yqplan._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, [
    "air_text", "maps", "plots", "plots_air", "present", "render", "run", "trend_text",
    "water_text", "word",
], {
    "run_reports": "run", "read_params": "run", "NOTEBOOKS": "run",
})
