"""The plan as data: its tables (``tables``, one folder per plan under ``data/plans/``),
targets and verdicts (``targets``), entered values (``values``), the text targets
(``text_targets``), the key-project ledger (``ledger``) and the final assessment (``final``)."""

from yqplan._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, [
    "final", "ledger", "tables", "targets", "text_targets", "values",
], {
    "read_indicators": "tables", "read_projects": "tables", "read_text_targets": "tables",
    "read_province_targets": "tables", "reconcile_projects": "tables",
    "summarise_investment": "tables", "resolve_targets": "tables", "plan_meta": "tables",
    "assess_indicator": "targets", "assess_plan": "targets", "write_scoreboard": "targets",
    "score_plan": "targets", "Scoreboard": "targets",
    "read_values": "values", "assess_text_targets": "text_targets",
    "ledger_summary": "ledger", "final_assessment": "final",
})
