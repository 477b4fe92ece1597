"""Moved to journeyapp.core.documents; this name stays only until branches in flight have merged."""

from journeyapp.core.documents import (  # noqa: F401
    ActionPlan,
    Item,
    Radar,
    Section,
    Series,
    build_action_plan,
    build_document,
    build_subject_access,
    long_date,
)
