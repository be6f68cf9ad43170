"""Asking owners for consent, the bottleneck board, and answering the owners' questions."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.consent import board, bp, follow_up, requests
from portal.consent.forms import AnswerForm, AskForm
from portal.consent.models import ConsentQuestion, ConsentRequest
from portal.consent.views_register import chosen, coordinator_required, filter_form, get_or_404
from portal.directory import queries as directory
from portal.extensions import db
from portal.web.htmx import render
from portal.web.pagination import paginate

MAX_SELECTED = 2000


def _ask_form(district_id=None, owner_id=None) -> AskForm:
    form = AskForm()
    props = db.session.scalars(
        board.to_ask(district_id, owner_id, now=clock.now()).limit(MAX_SELECTED)
    ).all()
    form.properties.choices = [(str(p.id), p.address) for p in props]
    return form


@bp.route("/coordinator/consent/ask")
@coordinator_required
def ask():
    """Properties with entrances still to ask about; tick some, or take a whole district."""
    filters = filter_form()
    filters.validate()
    district_id, owner_id = chosen(filters.district), chosen(filters.owner)
    result = paginate(board.to_ask(district_id, owner_id, now=clock.now()), per_page=100)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render(
        "consent/ask.html",
        "consent/_ask.html",
        filters=filters,
        form=AskForm(formdata=None),
        result=result,
        district_id=district_id,
        waiting=board.waiting_per_property(db.session, [p.id for p in result.items]),
        page_url=lambda n: url_for("consent.ask", page=n, **args),
    )


def _selected_ids(form: AskForm) -> list[int]:
    if form.everything.data == "1":
        district = form.district.data or ""
        district_id = int(district) if district.isdigit() and len(district) < 10 else None
        if district_id is None:
            return []
        stmt = board.to_ask(district_id, now=clock.now()).limit(MAX_SELECTED)
        return [p.id for p in db.session.scalars(stmt)]
    raw = request.form.getlist("properties")[:MAX_SELECTED]
    return sorted({int(v) for v in raw if v.isdigit() and len(v) < 10})


@bp.route("/coordinator/consent/ask/preview", methods=["POST"])
@coordinator_required
def ask_preview():
    """How many owners, entrances and citizens the chosen properties are; send from here."""
    form = AskForm()
    if not form.validate_on_submit():
        abort(400)
    chosen_sel = board.selection(db.session, _selected_ids(form), clock.now())
    if not chosen_sel.property_ids:
        flash(_("Choose at least one property that still waits for an answer."), "error")
        return redirect(url_for("consent.ask"), 303)
    return render_template("consent/ask_preview.html", sel=chosen_sel, form=AskForm(formdata=None))


@bp.route("/coordinator/consent/ask/send", methods=["POST"])
@coordinator_required
def ask_send():
    """Send one request (letter, and email where there is an address) to each owner."""
    form = AskForm()
    if not form.validate_on_submit():
        abort(400)
    ids = _selected_ids(form)
    try:
        made = requests.send_requests(
            db.session,
            current_app.extensions["keyring"],
            ids,
            config=current_app.config,
            now=clock.now(),
            actor=current_user.actor,
            user_id=current_user.id,
        )
    except requests.NothingToRequest:
        db.session.rollback()
        flash(_("None of these properties waits for an answer any more."), "error")
        return redirect(url_for("consent.ask"), 303)
    db.session.commit()
    return redirect(url_for("consent.sent", ids=",".join(str(r.id) for r in made)), 303)


@bp.route("/coordinator/consent/sent")
@coordinator_required
def sent():
    """The requests just sent: a letter to print for each, and which also went by email."""
    raw = (request.args.get("ids") or "")[:20000].split(",")
    ids = sorted({int(v) for v in raw if v.isdigit() and len(v) < 10})[:MAX_SELECTED]
    made = db.session.scalars(
        select(ConsentRequest).where(ConsentRequest.id.in_(ids or [-1])).order_by(ConsentRequest.id)
    ).all()
    if not made:
        abort(404)
    return render_template("consent/sent.html", made=made)


@bp.route("/coordinator/consent")
@coordinator_required
def board_page():
    """The bottleneck board: properties waiting for the owner, the longest-waiting first; then
    the entrances declined or withdrawn, newest first, to follow up."""
    filters = filter_form()
    filters.validate()
    now = clock.now()
    district_id, owner_id = chosen(filters.district), chosen(filters.owner)
    result = paginate(board.board(district_id, owner_id, now))
    props = result.items
    refusals = follow_up.refusals(db.session, district_id, owner_id)
    entrance_ids = [e.id for p in props for e in p.entrances] + [r.entrance.id for r in refusals]
    args = {k: v for k, v in request.args.items() if k != "page"}
    refused_args = {k: v for k, v in args.items() if k in ("district", "owner")}
    return render(
        "consent/board.html",
        "consent/_board.html",
        filters=filters,
        result=result,
        sent_at=board.first_sent_of(db.session, [p.id for p in props], now),
        waiting=board.waiting_per_entrance(db.session, entrance_ids),
        today=directory.today(),
        open_questions=board.open_question_count(db.session),
        refusals=refusals,
        refused_total=follow_up.refused_count(db.session, district_id, owner_id),
        refused_url=url_for("consent.properties", status="refused", **refused_args),
        page_url=lambda n: url_for("consent.board_page", page=n, **args),
    )


@bp.route("/coordinator/consent/questions")
@coordinator_required
def questions():
    """Owners' questions: unanswered first."""
    return render_template(
        "consent/questions.html",
        questions=board.questions(db.session),
        form=AnswerForm(formdata=None),
    )


@bp.route("/coordinator/consent/questions/<int:question_id>", methods=["GET", "POST"])
@coordinator_required
def question(question_id: int):
    """One question and the answer form."""
    item = get_or_404(ConsentQuestion, question_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            requests.answer_question(
                db.session,
                item.id,
                form.answer.data,
                now=clock.now(),
                actor=current_user.actor,
                user_id=current_user.id,
            )
        except requests.QuestionProblem as exc:
            db.session.rollback()
            if exc.code != "answered":
                raise
            flash(_("Someone else answered this question a moment ago."), "error")
        else:
            db.session.commit()
            flash(_("Your answer is saved; the owner sees it in the portal."), "success")
        return redirect(url_for("consent.questions"), 303)
    return render_template("consent/question.html", item=item, form=form)
