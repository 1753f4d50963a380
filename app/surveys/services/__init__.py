"""Campaigns, invitations, answering and results of surveys: the business rules of issue 3.

One module per concern; this package re-exports their names, so ``services.X`` keeps working.

* ``definitions``: the files in ``surveys/`` and the snapshot a campaign was published with.
* ``campaigns``: draft, publish, close, list and count campaigns.
* ``assignments``: employees are assigned set-based when a campaign opens (self, one
  supervisor rating per subordinate derived from the position tree, peers in the same unit).
* ``invitations``: stakeholders invited by email, progress rows, invitation and reminder mail.
* ``answering``: respondents are identified by their link only: a personal invitation token
  (never stored; HMAC of a random nonce, only its SHA-256 is kept), or a resume token given to a
  public respondent when the first page is saved. Drafts are JSON; submitting writes one
  ``survey_answer`` row per field in one transaction and is idempotent (submission key + a
  conditional update + unique constraints).
* ``results`` and ``exports``: grouped SQL over ``survey_answer``; groups smaller than the
  definition's ``min_group_size`` are never shown.
* ``vocabulary``, ``tokens``, ``days``: the codes, labels, link tokens and local day they share.
"""

from app.surveys.services.answering import (
    MAX_RAW_TEXT,
    MAX_SELECTED,
    Incomplete,
    MySurvey,
    Seat,
    SeatError,
    answer_rows,
    check_campaign_open,
    initial_answers,
    merge_page_answers,
    my_surveys,
    save_page,
    seat_from_invitation,
    seat_from_public,
    seat_from_resume,
    submit_response,
    valid_unit,
)
from app.surveys.services.assignments import (
    PEERS_PER_EMPLOYEE,
    create_assignments,
    peer_pairs,
    supervisors_by_employee,
)
from app.surveys.services.campaigns import (
    CampaignData,
    CampaignStats,
    campaign_stats,
    close_campaign,
    create_campaign,
    publish_campaign,
    visible_campaigns,
)
from app.surveys.services.days import (
    aware,
    end_of_day,
    local_today,
)
from app.surveys.services.definitions import (
    PARSED_CACHE_SIZE,
    DefinitionInfo,
    campaign_definition,
    definition_infos,
    parse_snapshot,
    read_definition_source,
    surveys_dir,
)
from app.surveys.services.invitations import (
    MAX_INVITATION_LINES,
    REMINDER_INTERVAL,
    InvitationLine,
    InvitationRow,
    LinkFor,
    add_invitations,
    email_resume_link,
    insert_invitations,
    invitation_rows,
    parse_invitation_lines,
    send_invitations,
    send_reminders,
)
from app.surveys.services.results import (
    TEXTS_PER_QUESTION,
    Bar,
    GroupCount,
    QuestionSummary,
    ResponseRow,
    ResultFilters,
    Summary,
    filter_options,
    response_conditions,
    responses_page,
    summarize,
)
from app.surveys.services.tokens import (
    KEY_RE,
    TOKEN_RE,
    invitation_token,
    new_invitation_secret,
    new_submission_key,
    new_token,
    sha256_hex,
    token_for,
)
from app.surveys.services.vocabulary import (
    AUDIENCE_LABELS,
    EMAIL_RE,
    EMPLOYEE_AUDIENCES,
    GROUP_ITEM,
    GROUP_RE,
    NAMED_AUDIENCES,
    PAGE_SIZE,
    PREFILL_BY_ROLE,
    ROLE_LABELS,
    STAKEHOLDER_GROUPS,
    STATUS_LABELS,
    group_label,
    role_label,
)

__all__ = [
    "AUDIENCE_LABELS",
    "Bar",
    "CampaignData",
    "CampaignStats",
    "DefinitionInfo",
    "EMAIL_RE",
    "EMPLOYEE_AUDIENCES",
    "GROUP_ITEM",
    "GROUP_RE",
    "GroupCount",
    "Incomplete",
    "InvitationLine",
    "InvitationRow",
    "KEY_RE",
    "LinkFor",
    "MAX_INVITATION_LINES",
    "MAX_RAW_TEXT",
    "MAX_SELECTED",
    "MySurvey",
    "NAMED_AUDIENCES",
    "PAGE_SIZE",
    "PARSED_CACHE_SIZE",
    "PEERS_PER_EMPLOYEE",
    "PREFILL_BY_ROLE",
    "QuestionSummary",
    "REMINDER_INTERVAL",
    "ROLE_LABELS",
    "ResponseRow",
    "ResultFilters",
    "STAKEHOLDER_GROUPS",
    "STATUS_LABELS",
    "Seat",
    "SeatError",
    "Summary",
    "TEXTS_PER_QUESTION",
    "TOKEN_RE",
    "add_invitations",
    "answer_rows",
    "aware",
    "campaign_definition",
    "campaign_stats",
    "check_campaign_open",
    "close_campaign",
    "create_assignments",
    "create_campaign",
    "definition_infos",
    "email_resume_link",
    "end_of_day",
    "filter_options",
    "group_label",
    "initial_answers",
    "insert_invitations",
    "invitation_rows",
    "invitation_token",
    "local_today",
    "merge_page_answers",
    "my_surveys",
    "new_invitation_secret",
    "new_submission_key",
    "new_token",
    "parse_invitation_lines",
    "parse_snapshot",
    "peer_pairs",
    "publish_campaign",
    "read_definition_source",
    "response_conditions",
    "responses_page",
    "role_label",
    "save_page",
    "seat_from_invitation",
    "seat_from_public",
    "seat_from_resume",
    "send_invitations",
    "send_reminders",
    "sha256_hex",
    "submit_response",
    "summarize",
    "supervisors_by_employee",
    "surveys_dir",
    "token_for",
    "valid_unit",
    "visible_campaigns",
]
