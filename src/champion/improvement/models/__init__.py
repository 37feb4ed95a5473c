"""Improvement models: projects and charters, driver diagrams, tools and PDSA cycles."""

from champion.improvement.models.drivers import ChangeIdea, Driver
from champion.improvement.models.measures import CycleMark, MeasureRole, ProjectMeasure
from champion.improvement.models.pdsa import Decision, PDSACycle, PredictionHeld, Stage
from champion.improvement.models.project import (
    EDITOR_ROLES,
    PHASES,
    SHARED_STATUSES,
    Method,
    Project,
    ProjectMember,
    ProjectStatus,
    TeamRole,
)
from champion.improvement.models.tools import Tool, ToolKind
from champion.improvement.models.versioned import StaleEdit, Versioned, save_versioned

__all__ = [
    "EDITOR_ROLES",
    "PHASES",
    "SHARED_STATUSES",
    "ChangeIdea",
    "CycleMark",
    "Decision",
    "Driver",
    "MeasureRole",
    "Method",
    "PDSACycle",
    "PredictionHeld",
    "Project",
    "ProjectMeasure",
    "ProjectMember",
    "ProjectStatus",
    "Stage",
    "StaleEdit",
    "TeamRole",
    "Tool",
    "ToolKind",
    "Versioned",
    "save_versioned",
]
