"""Ask a champion: an employee's question, sorted once into business (for the champions) or
technical (pointed to the service desk), routed to a champion for their unit and topic, who
answers, passes it on or hands it to the leads; rated by the asker, and counted for
recognition. Uses enrolment's suggestions and recognition's points through their exports;
`question_pulse` is what the digests report."""

from __future__ import annotations

from bot.feature import Export, Feature, On, OnCard
from domain.commands import EVERYONE, LEADS_ONLY, Command
from features.questions import jobs, privacy, tables
from features.questions.handlers import QuestionHandlers
from features.questions.pulse_queries import QuestionPulse, question_pulse
from features.questions.reports import questions_rows
from features.questions.views import ANSWER, BUSINESS, PASS_ON, RATE, TECHNICAL, TO_LEADS

FEATURE: Feature[QuestionHandlers] = Feature(
    name="questions",
    package=__name__,
    handlers=QuestionHandlers,
    commands=(
        On(Command("ask", needs_argument=True, verbatim=True), QuestionHandlers.ask),
        On(Command("open_questions", LEADS_ONLY), QuestionHandlers.questions),
        On(Command("service_desk", LEADS_ONLY), QuestionHandlers.service_desk),
    ),
    card_actions=(
        OnCard(BUSINESS, QuestionHandlers.business, EVERYONE),
        OnCard(TECHNICAL, QuestionHandlers.technical, EVERYONE),
        # Who may answer is checked per question: its champion, or a lead.
        OnCard(ANSWER, QuestionHandlers.answer, EVERYONE),
        OnCard(PASS_ON, QuestionHandlers.pass_on, EVERYONE),
        OnCard(TO_LEADS, QuestionHandlers.to_leads, EVERYONE),
        OnCard(RATE, QuestionHandlers.rate, EVERYONE),
    ),
    jobs=jobs.jobs,
    exports=(Export.by_date("questions", "colleagues' questions and what became of them", questions_rows),),
    tables=(tables.QuestionRecord,),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = ["FEATURE", "QuestionPulse", "question_pulse"]
