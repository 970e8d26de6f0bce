"""A training path for champions: leads keep a library of resources (by focus area and
language, required or optional) and an onboarding checklist; each new champion gets the
checklist, ticks it, and is reminded of required items; leads see completion by champion and
by department."""

from __future__ import annotations

from bot.feature import Export, Feature, On, OnCard
from domain.commands import CHAMPIONS, LEADS_ONLY, Command
from features.training import jobs, privacy, tables
from features.training.handlers import TrainingHandlers
from features.training.views import SAVE, TICK
from features.training.workflows import progress_rows

FEATURE: Feature[TrainingHandlers] = Feature(
    name="training",
    package=__name__,
    handlers=TrainingHandlers,
    commands=(
        On(Command("training"), TrainingHandlers.training),
        On(Command("my_checklist", CHAMPIONS), TrainingHandlers.checklist),
        On(Command("new_training", LEADS_ONLY), TrainingHandlers.new_resource),
        On(Command("training_progress", LEADS_ONLY), TrainingHandlers.progress),
    ),
    card_actions=(
        OnCard(SAVE, TrainingHandlers.save, LEADS_ONLY),
        OnCard(TICK, TrainingHandlers.tick, CHAMPIONS),
    ),
    jobs=jobs.jobs,
    exports=(Export("training", "each champion's required training done", progress_rows),),
    tables=(tables.TrainingResourceRecord, tables.TrainingStartRecord, tables.TrainingProgressRecord),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = ["FEATURE"]
