"""The board's session without Textual: the one caller of the write services, its queue, its undo
by event id and the team-sync bookkeeping, checked against the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.board.writes import Follow, LostReason, Outcome, run_at_once
from closedwon_tui.domain.models import Change, DealCard, DealDetail, EventKind
from closedwon_tui.services import PipelineService
from tests.board_helpers import seed, titles_in


class View:
    """Records what the session asks of the screen."""

    def __init__(self) -> None:
        self.panel: int | None = None
        self.shown: list[tuple[Change[Any], set[int], DealDetail | None, Follow]] = []
        self.waits: list[str | None] = []
        self.errors: list[tuple[str, bool]] = []
        self.said: list[str] = []
        self.undos: list[Change[Any]] = []
        self.lost_asked: list[tuple[int, int | None]] = []
        self.reloads = 0

    def panel_deal(self) -> int | None:
        return self.panel

    def waiting(self, doing: str | None) -> None:
        self.waits.append(doing)

    def show_change(self, change: Change[Any], stages: set[int], detail: DealDetail | None, follow: Follow) -> None:
        self.shown.append((change, stages, detail, follow))

    def show_undo(self, change: Change[Any]) -> None:
        self.undos.append(change)

    def show_error(self, message: str, *, conflict: bool) -> None:
        self.errors.append((message, conflict))

    def say(self, message: str) -> None:
        self.said.append(message)

    def ask_lost_reason(self, deal: DealCard, position: int | None) -> None:
        self.lost_asked.append((deal.id, position))

    def reload_board(self) -> None:
        self.reloads += 1


class Deferred:
    """A runner that holds each write until the test lets it go, like a worker on a busy database."""

    def __init__(self) -> None:
        self.pending: list[tuple[Callable[[], Outcome], Callable[[Outcome], None]]] = []

    def __call__(self, work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
        self.pending.append((work, done))

    def finish_one(self) -> None:
        work, done = self.pending.pop(0)
        done(work())


def _session(service: PipelineService, runner: Any = run_at_once) -> tuple[BoardSession, View]:
    view = View()
    return BoardSession(service, BoardModel(service.board(), service.now()), view, runner), view


def _stage(service: PipelineService, deal_id: int) -> str:
    return service.stage(service.deal(deal_id).stage_id).name


def test_a_move_is_applied_to_the_model_and_shown_once(service):
    ids = seed(service)
    session, view = _session(service)
    helios = ids["Helios rollout"]
    session.move_by(helios, +1)
    assert _stage(service, helios) == "Proposal"
    [(change, stages, detail, follow)] = view.shown
    assert change.deal.id == helios and change.kind is EventKind.MOVED
    assert stages == {service.stage("Analysis").id, service.stage("Proposal").id}
    assert detail is None and follow is Follow.CARD
    assert session.model.deal(helios).stage_id == service.stage("Proposal").id
    assert session.undo_stack == [(change.event.id,)] and change.event.id in session.own_events
    assert view.waits == ["Moving Helios rollout to Proposal", None]


def test_requests_wait_their_turn_and_are_resolved_when_it_comes(service):
    """`L` pressed twice while the first move waits: the second moves the deal on from where the first left it."""
    ids = seed(service)
    runner = Deferred()
    session, view = _session(service, runner)
    helios = ids["Helios rollout"]
    session.move_by(helios, +1)
    session.move_by(helios, +1)
    assert session.busy and len(runner.pending) == 1  # one write at a time
    assert _stage(service, helios) == "Analysis"  # nothing written yet
    runner.finish_one()
    assert _stage(service, helios) == "Proposal" and len(runner.pending) == 1
    runner.finish_one()
    assert _stage(service, helios) == "Negotiation" and not session.busy
    assert [c.deal.version for c, *_ in view.shown] == [2, 3]


def test_undo_takes_back_only_this_sessions_change_when_a_colleague_wrote_since(service, clock):
    ids = seed(service)
    colleague = PipelineService(service.db, clock=clock, actor="marcus")
    session, view = _session(service)
    helios, polar = ids["Helios rollout"], ids["Polar routes"]
    session.move_by(helios, +1)
    colleague.edit_deal(helios, {"next_step": "Send the contract"})  # the newest event is the colleague's
    colleague.move_deal(polar, "Proposal")
    session.undo()
    # Our move is taken back; the colleague's edit of the same deal, and their move, stay.
    assert _stage(service, helios) == "Analysis" and service.deal(helios).next_step == "Send the contract"
    assert _stage(service, polar) == "Proposal"
    assert view.errors == []


def test_undo_by_event_id_skips_a_colleagues_later_change_of_another_deal(service, clock):
    ids = seed(service)
    colleague = PipelineService(service.db, clock=clock, actor="marcus")
    session, view = _session(service)
    helios, polar = ids["Helios rollout"], ids["Polar routes"]
    session.move_by(helios, +1)
    colleague.move_deal(polar, "Proposal")  # lands in between: the latest event in the database
    session.undo()
    assert _stage(service, helios) == "Analysis"  # ours, taken back
    assert _stage(service, polar) == "Proposal"  # theirs, untouched
    assert view.undos[-1].event.details["undoes"] == view.shown[0][0].event.id
    session.redo()
    assert _stage(service, helios) == "Proposal"
    assert session.redo_stack == [] and len(session.undo_stack) == 1


def test_nothing_to_undo_says_so_and_writes_nothing(service):
    seed(service)
    session, view = _session(service)
    events = len(service.all_events())
    session.undo()
    session.redo()
    assert view.said == ["Nothing to undo in this session", "Nothing to redo"]
    assert len(service.all_events()) == events and view.shown == []


def test_a_move_into_closed_lost_asks_for_the_reason_first(service):
    ids = seed(service)
    session, view = _session(service)
    helios, lost = ids["Helios rollout"], service.stage("Closed Lost")
    session.move(helios, lost.id)
    assert view.lost_asked == [(helios, None)] and _stage(service, helios) == "Analysis"
    session.move(helios, lost.id, lost=LostReason("price", "too dear"))
    deal = service.deal(helios)
    assert _stage(service, helios) == "Closed Lost" and (deal.lost_reason, deal.lost_note) == ("price", "too dear")


def test_a_drop_reorders_within_the_column_or_moves_to_another(service):
    ids = seed(service)
    session, _ = _session(service)
    analysis, proposal = service.stage("Analysis"), service.stage("Proposal")
    session.drop(ids["Helios rollout"], analysis.id, 3)  # after the last card of its own column
    assert titles_in(service, "Analysis") == ["Orbital fleet", "Granite warehouse", "Helios rollout"]
    session.drop(ids["Orbital fleet"], proposal.id, 0)
    assert titles_in(service, "Proposal") == ["Orbital fleet"]
    assert [d.title for d in session.model.visible(analysis.id)] == ["Granite warehouse", "Helios rollout"]


def test_a_stale_write_is_a_conflict_shown_once_and_changes_nothing(service, clock):
    ids = seed(service)
    session, view = _session(service)
    helios = ids["Helios rollout"]
    PipelineService(service.db, clock=clock, actor="marcus").edit_deal(helios, {"amount": "1"})
    session.move_by(helios, +1)  # the board still holds the old version
    assert _stage(service, helios) == "Analysis"
    [(message, conflict)] = view.errors
    assert conflict and "changed by someone else" in message
    assert view.shown == [] and session.undo_stack == []


def test_a_refused_form_write_goes_back_to_the_form_not_to_the_board(service):
    ids = seed(service)
    session, view = _session(service)
    refused: list[str] = []
    session.add_note(ids["Helios rollout"], "x" * 6000, failed=lambda why: refused.append(str(why)))
    assert refused and "too long" in refused[0]
    assert view.errors == [] and view.shown == []


def test_a_note_with_the_panel_open_reads_the_panels_deal_with_the_write(service):
    ids = seed(service)
    session, view = _session(service)
    helios = ids["Helios rollout"]
    view.panel = helios
    session.add_note(helios, "met the CFO")
    [(change, _, detail, follow)] = view.shown
    assert detail is not None and [n.text for n in detail.notes] == ["met the CFO"]
    assert change.item.text == "met the CFO" and follow is Follow.STAY


def test_team_sync_skips_our_own_events_and_notices_a_colleagues(service, clock):
    ids = seed(service)
    session, _ = _session(service)
    session.known_event = service.last_event_id()
    session.move_by(ids["Helios rollout"], +1)
    ours = service.event_ids_since(session.known_event)
    assert session.foreign(ours) is False and session.known_event == max(ours)
    PipelineService(service.db, clock=clock, actor="marcus").move_deal(ids["Polar routes"], "Proposal")
    assert session.foreign(service.event_ids_since(session.known_event)) is True


def test_a_drop_that_spreads_out_a_column_reads_the_board_again(service):
    """Cards dropped one after another into the same gap: the column's keys run out once, all its
    cards get new keys, and the board (holding the old ones) is read again, once."""
    top = service.create_deal("Top", stage="Proposal").deal
    service.create_deal("Bottom", stage="Proposal", position=1)
    dropped = [service.create_deal(f"Dropped {n}", stage="Analysis").deal.id for n in range(14)]
    session, view = _session(service)
    proposal = service.stage("Proposal").id
    for deal_id in dropped:
        session.drop(deal_id, proposal, 1)
    assert view.reloads == 1 and sum(bool(change.renumbered) for change, *_ in view.shown) == 1
    assert titles_in(service, "Proposal") == ["Top", *(f"Dropped {n}" for n in reversed(range(14))), "Bottom"]
    assert service.deal(top.id).stage_id == proposal


def test_no_app_module_but_the_session_calls_a_write_service() -> None:
    """Issue 10: the session is the app's one caller of the write services (forms and dialogs only ask)."""
    import ast
    import inspect
    from pathlib import Path

    import closedwon_tui.app as app_package

    writes = {
        name
        for name, method in inspect.getmembers(PipelineService, inspect.isfunction)
        if not name.startswith("_")
        and (
            str(method.__annotations__.get("return", "")).startswith(("Change", "ImportSummary", "UndoneImport"))
            or name in {"restore_backup", "write_backup"}
        )
    }
    assert {"move_deal", "add_note", "import_file", "create_deal"} <= writes
    root = Path(app_package.__file__).parent
    allowed = {root / "board" / "session.py", root / "board" / "writes.py"}
    callers = [
        f"{path.relative_to(root)}:{node.lineno} {node.attr}"
        for path in sorted(root.rglob("*.py"))
        if path not in allowed
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in writes and "service" in ast.unparse(node.value)
    ]
    assert callers == []
