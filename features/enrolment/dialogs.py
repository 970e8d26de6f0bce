"""The forms of enrolment: joining, editing a profile, where someone works, nominating,
pausing and stepping down. Only the questions live here; what happens on completion is
passed in by the feature that registers the form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dialogs.form import ChoiceStep, Completion, DateStep, FormRun, FormSpec, Step, TextStep, YesNoStep
from domain.answers import free_text
from domain.people import ProgramSettings
from features.enrolment.domain import parse_languages

JOIN_FORM = "join"
EDIT_PROFILE_FORM = "edit_profile"
WORKPLACE_FORM = "workplace"
NOMINATE_FORM = "nominate"
PAUSE_FORM = "pause"
STEP_DOWN_FORM = "step_down"

# Keys of the data a form starts with (lists to pick from, the current profile).
DEPARTMENTS = "departments"
OFFICES = "offices"
FOCUS_AREAS = "focus_areas"
TIME_COMMITMENT = "time_commitment"
TEAMS_LOOKUP = "teams_of_department"
NOMINEE_LOOKUP = "nominee_matches"


def _has_prefill(run: FormRun) -> bool:
    return bool(run.data.get("prefilled"))


def _change_unit(run: FormRun) -> bool:
    return not _has_prefill(run) or run.values.get("unit_ok") is False


def unit_summary(run: FormRun) -> list[tuple[str, str]]:
    return [
        (run.t("profile.department"), run.values.get("department") or "—"),
        (run.t("profile.office"), run.values.get("office") or "—"),
        (run.t("profile.team"), run.values.get("team") or "—"),
    ]


def profile_summary(run: FormRun) -> list[tuple[str, str]]:
    values = run.values
    return [
        *unit_summary(run),
        (run.t("profile.focus_areas"), ", ".join(values.get("focus_areas") or []) or "—"),
        (run.t("profile.languages"), ", ".join(values.get("languages") or []) or "—"),
        (run.t("profile.listed"), run.t("form.yes") if values.get("listed") else run.t("form.no")),
    ]


def _profile_steps(confirm_label: str) -> list[Step]:
    return [
        YesNoStep("unit_ok", "join.unit_ok", only_if=_has_prefill, summary=unit_summary),
        ChoiceStep(
            "department",
            "join.department",
            DEPARTMENTS,
            free_text_fallback=free_text,
            only_if=_change_unit,
            prefill="department",
        ),
        ChoiceStep(
            "office", "join.office", OFFICES, free_text_fallback=free_text, only_if=_change_unit, prefill="office"
        ),
        ChoiceStep(
            "team",
            "join.team",
            "",
            lookup_from=TEAMS_LOOKUP,
            free_text_fallback=free_text,
            only_if=_change_unit,
            prefill="team",
        ),
        ChoiceStep("focus_areas", "join.focus_areas", FOCUS_AREAS, multiple=True, prefill="focus_areas"),
        TextStep("languages", "join.languages", parse_languages, prefill="languages"),
        YesNoStep("listed", "join.listed"),
        YesNoStep(
            "confirm", "join.confirm", yes_label=confirm_label, no_label="form.start_over", summary=profile_summary
        ),
    ]


def join_form(on_complete: Completion) -> FormSpec:
    def intro(run: FormRun) -> str:
        hours, period = run.data.get(TIME_COMMITMENT) or (ProgramSettings().commitment_hours, "month")
        return run.t("join.intro", time=run.t(f"commitment.{period}", hours=hours))

    return FormSpec(JOIN_FORM, _profile_steps("join.submit"), on_complete, intro=intro)


def edit_profile_form(on_complete: Completion) -> FormSpec:
    def intro(run: FormRun) -> str:
        return run.t("profile.edit_intro")

    return FormSpec(EDIT_PROFILE_FORM, _profile_steps("form.save"), on_complete, intro=intro)


def workplace_form(on_complete: Completion) -> FormSpec:
    def intro(run: FormRun) -> str:
        return run.t("workplace.intro")

    steps: list[Step] = [
        ChoiceStep("department", "join.department", DEPARTMENTS, free_text_fallback=free_text),
        ChoiceStep("office", "join.office", OFFICES, free_text_fallback=free_text),
    ]
    return FormSpec(WORKPLACE_FORM, steps, on_complete, intro=intro)


def nominate_form(find_people: Callable[[str], Awaitable[Any]], on_complete: Completion) -> FormSpec:
    """`find_people(text)` returns the matches (raising AnswerError when there are none)."""

    def needs_person(run: FormRun) -> bool:
        return not run.data.get("nominee")

    def several_matches(run: FormRun) -> bool:
        return needs_person(run) and len(run.values.get("who") or []) > 1

    def nominee_name(run: FormRun) -> str:
        nominee = run.data.get("nominee") or {}
        return str(nominee.get("name") or "")

    def summary(run: FormRun) -> list[tuple[str, str]]:
        return [
            (run.t("nomination.nominee"), nominee_name(run) or str(run.values.get("pick") or "")),
            (run.t("nomination.reason"), run.values.get("reason") or ""),
        ]

    steps: list[Step] = [
        TextStep("who", "nomination.who", find_people, only_if=needs_person),
        ChoiceStep("pick", "nomination.pick", "", lookup_from=NOMINEE_LOOKUP, only_if=several_matches),
        TextStep("reason", "nomination.why", lambda answer: free_text(answer, 1000), multiline=True),
        YesNoStep(
            "confirm", "nomination.confirm", yes_label="nomination.send", no_label="form.start_over", summary=summary
        ),
    ]
    return FormSpec(NOMINATE_FORM, steps, on_complete)


def pause_form(parse_until: Callable[[str], Any], on_complete: Completion) -> FormSpec:
    return FormSpec(PAUSE_FORM, [DateStep("until", "pause.until", parse_until)], on_complete)


def step_down_form(on_complete: Completion) -> FormSpec:
    steps: list[Step] = [
        TextStep("successor", "step_down.successor", lambda answer: free_text(answer, 256), optional=True),
        TextStep("reason", "step_down.reason", lambda answer: free_text(answer, 1000), optional=True, multiline=True),
        YesNoStep("confirm", "step_down.confirm", yes_label="step_down.yes", no_label="form.keep_going"),
    ]
    return FormSpec(STEP_DOWN_FORM, steps, on_complete)
