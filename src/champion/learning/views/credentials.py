"""Evidence for credentials, the coaches' review queue, certificates and public verification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from champion.accounts.models import Organisation
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.improvement.services import Project
from champion.learning.models import Certificate, Submission, SubmissionStatus, Tier
from champion.learning.permissions import (
    certificate_for,
    evidence_file_for,
    project_for_evidence,
    submission_for,
    tier_for,
)
from champion.learning.rubrics import (
    MIN_REFLECTION_CHARS,
    PORTFOLIO,
    PORTFOLIO_WRITTEN,
    PRACTICALS,
    PROJECT,
    items_for,
)
from champion.learning.services import badges, certificates, evidence, portfolio, signing


def evidence_form(request: AuthedRequest, slug: str) -> HttpResponse:
    """The learner's practical, project or portfolio: save as a draft, or submit."""
    tier = tier_for(request.user, slug)
    submission = evidence.submission_for_tier(request.user, tier, create=request.method == "POST")
    if submission.kind == "project":
        return _project_evidence(request, tier, submission)
    if submission.kind == "portfolio":
        return _portfolio_evidence(request, tier, submission)
    problems: list[str] = []
    if request.method == "POST":
        submit = "submit" in request.POST
        problems = evidence.save_evidence(submission, request.POST, request.FILES, submit=submit)
        if not problems:
            if submit and submission.status == SubmissionStatus.SUBMITTED:
                messages.success(request, "Submitted. A coach will review it and reply here.")
            elif submit:
                messages.success(request, "Practical submitted. Thank you!")
            else:
                messages.info(request, "Draft saved.")
            return redirect("learning:evidence", slug=tier.slug)
    variant = (
        request.POST.get("variant", submission.variant)
        if request.method == "POST"
        else submission.variant
    )
    context = {
        "tier": tier,
        "submission": submission,
        "items": items_for(submission.kind, variant) if submission.kind != "practical" else (),
        "practicals": [
            (key, title, intro, items) for key, (title, intro, items) in PRACTICALS.items()
        ],
        "variant": variant,
        "files": submission.files.all() if submission.pk else (),
        "problems": problems,
        "requirements": certificates.requirements(request.user, tier),
        "certificate": Certificate.objects.filter(user=request.user, tier=tier).first(),
    }
    return render(request, "learning/evidence.html", context, status=422 if problems else 200)


def _project_evidence(request: AuthedRequest, tier: Tier, submission: Submission) -> HttpResponse:
    """The Practitioner project: choose one of your projects, see each rubric item read live
    from it, write the reflection, and submit when nothing is missing."""

    def save(submit: bool) -> list[str]:
        raw = request.POST.get("project", "").strip()
        project = project_for_evidence(request.user, raw) if raw else None
        reflection = request.POST.get("reflection-text", "")
        return evidence.save_project_evidence(submission, project, reflection, submit=submit)

    def page() -> dict[str, Any]:
        query = request.GET.get("q", "")
        return {
            "projects": evidence.learner_projects(request.user, query),
            "query": query,
            "gathered": evidence.gather(submission),
            "reflection": evidence.reflection_of(submission),
            "min_reflection": MIN_REFLECTION_CHARS,
        }

    return _live_evidence(
        request,
        tier,
        submission,
        save=save,
        saved="Saved. Each item below is read from your project as it is now.",
        page=page,
        template="learning/evidence_project.html",
    )


def _portfolio_evidence(request: AuthedRequest, tier: Tier, submission: Submission) -> HttpResponse:
    """The Leader portfolio: each rubric item read live from the leader's own work, action
    learning and the reflection written here, submitted when nothing is missing."""

    def page() -> dict[str, Any]:
        return {
            "found": portfolio.gather(submission),
            "written": list(PORTFOLIO_WRITTEN),
            "texts": [(key, portfolio.written(submission, key)) for key in PORTFOLIO_WRITTEN],
        }

    return _live_evidence(
        request,
        tier,
        submission,
        save=lambda submit: portfolio.save(submission, request.POST, submit=submit),
        saved="Saved. Each item below is read from your work as it is now.",
        page=page,
        template="learning/evidence_portfolio.html",
    )


def _live_evidence(
    request: AuthedRequest,
    tier: Tier,
    submission: Submission,
    *,
    save: Callable[[bool], list[str]],
    saved: str,
    page: Callable[[], dict[str, Any]],
    template: str,
) -> HttpResponse:
    """The page of live evidence (project or portfolio): on POST `save(submit)` and back to
    the page when accepted; otherwise (or with what is missing, 422) the page, with `page()`'s
    own context beside the review, requirements and certificate."""
    problems: list[str] = []
    if request.method == "POST":
        submit = "submit" in request.POST
        problems = save(submit)
        if not problems:
            messages.success(
                request, "Submitted. A coach will review it and reply here." if submit else saved
            )
            return redirect("learning:evidence", slug=tier.slug)
        submission.refresh_from_db()
    last_review = _last_review(submission)
    context = {
        "tier": tier,
        "submission": submission,
        **page(),
        "problems": problems,
        "last_review": last_review if submission.status == SubmissionStatus.RETURNED else None,
        "item_comments": _comment_rows(last_review) if last_review else [],
        "requirements": certificates.requirements(request.user, tier),
        "certificate": Certificate.objects.filter(user=request.user, tier=tier).first(),
    }
    return render(request, template, context, status=422 if problems else 200)


def _last_review(submission: Submission) -> Any:
    """The newest review, or None (an unsaved submission has none)."""
    if submission.pk is None:
        return None
    return submission.reviews.select_related("reviewer").first()


def _comment_rows(review: Any) -> list[tuple[str, str]]:
    """A review's comments per item as (item label, comment), in the rubric's order."""
    submission = review.submission
    labels = {item.key: item.label for item in items_for(submission.kind, submission.variant)}
    comments = review.item_comments or {}
    return [(labels[key], comments[key]) for key in labels if comments.get(key)]


def submission_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    submission = submission_for(request.user, pk)
    if submission.kind == "project" and submission.snapshot:
        return _project_submission(request, submission)
    if submission.kind == "portfolio" and submission.snapshot:
        return _portfolio_submission(request, submission)
    context = {
        "submission": submission,
        "items": items_for(submission.kind, submission.variant),
        "files": submission.files.defer("content"),
        "can_review": evidence.can_review(request.user, submission)
        and submission.status == SubmissionStatus.SUBMITTED,
        "reviews": submission.reviews.select_related("reviewer"),
    }
    return render(request, "learning/submission.html", context)


def _project_submission(request: AuthedRequest, submission: Submission) -> HttpResponse:
    """A submitted project: the snapshot the learner submitted beside the project as it is now."""
    live = None
    project = submission.project
    if (
        project is not None
        and Project.objects.visible_to(request.user).filter(pk=project.pk).exists()
    ):
        live = {s.item.key: s for s in evidence.gather(submission).items}
    snapshot = submission.snapshot
    rows = _review_rows(
        PROJECT,
        snapshot,
        live,
        written=lambda key, shot: snapshot.get("reflection", "") if key == "reflection" else None,
    )
    can_review = evidence.can_review(request.user, submission)
    context = _review_context(submission, rows, live, can_review, project_gone=project is None)
    return render(request, "learning/submission_project.html", context)


def _portfolio_submission(request: AuthedRequest, submission: Submission) -> HttpResponse:
    """A submitted portfolio: the snapshot beside the leader's work as it is now (shown to the
    leader and to the coaches who review them)."""
    can_review = evidence.can_review(request.user, submission)
    live = None
    if can_review or request.user.pk == submission.user_id:
        live = {s.item.key: s for s in portfolio.gather(submission).items}
    snapshot = submission.snapshot
    rows = _review_rows(
        PORTFOLIO,
        snapshot,
        live,
        written=lambda key, shot: shot.get("text", "") if key in PORTFOLIO_WRITTEN else None,
    )
    context = _review_context(submission, rows, live, can_review)
    return render(request, "learning/submission_portfolio.html", context)


def _review_context(
    submission: Submission,
    rows: list[Any],
    live: dict[str, Any] | None,
    can_review: bool,
    **extra: Any,
) -> dict[str, Any]:
    """What both review pages show: the snapshot and its date, the rows, the reviews so far, and
    the review form while the submission waits for a reviewer who may review it."""
    return {
        "submission": submission,
        "snapshot": submission.snapshot,
        "snapshot_at": evidence.snapshot_date(submission),
        "rows": rows,
        "live_shown": live is not None,
        "can_review": can_review and submission.status == SubmissionStatus.SUBMITTED,
        "reviews": [(r, _comment_rows(r)) for r in submission.reviews.select_related("reviewer")],
        **extra,
    }


def _review_rows(
    items: Any,
    snapshot: dict[str, Any],
    live: dict[str, Any] | None,
    *,
    written: Callable[[str, dict[str, Any]], str | None],
) -> list[dict[str, Any]]:
    """Each rubric item of a submitted project or portfolio: as submitted (`shot`, from the
    snapshot) beside `live` (None when not shown). `written(key, shot)` is the text written on
    the submission for an item written there, or None for an item read from the work."""
    rows = []
    for item in items:
        shot: dict[str, Any] = next(
            (i for i in snapshot.get("items", []) if i.get("key") == item.key), {}
        )
        text = written(item.key, shot)
        rows.append(
            {
                "item": item,
                "shot": shot,
                "live": (live or {}).get(item.key),
                "written": text is not None,
                "text": text or "",
            }
        )
    return rows


@require_POST
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    submission = submission_for(request.user, pk, action="review")
    approve = request.POST.get("decision") == "approve"
    item_comments = {
        item.key: request.POST.get(f"comment-{item.key}", "")
        for item in items_for(submission.kind, submission.variant)
    }
    try:
        evidence.review(
            submission,
            request.user,
            approve=approve,
            comment=request.POST.get("comment", ""),
            item_comments=item_comments,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("learning:submission", pk=submission.pk)
    messages.success(
        request,
        "Approved: the certificate is issued if every other requirement is met."
        if approve
        else "Returned with your comments.",
    )
    return redirect("learning:reviews")


def reviews(request: AuthedRequest) -> HttpResponse:
    """The coach's queue: evidence waiting for review from the people they coach."""
    queue = Submission.objects.reviewable_by(request.user)
    require(bool(request.user.units_with_roles("coach")), "Only coaches review evidence.")
    context = {
        "waiting": queue.filter(status=SubmissionStatus.SUBMITTED)
        .select_related("user", "tier", "project")
        .defer("snapshot", "evidence"),
        "decided": queue.filter(status__in=[SubmissionStatus.APPROVED, SubmissionStatus.RETURNED])
        .exclude(kind="practical")
        .select_related("user", "tier")
        .defer("snapshot", "evidence")[:20],
    }
    return render(request, "learning/reviews.html", context)


def evidence_file(request: AuthedRequest, pk: int) -> HttpResponse:
    file = evidence_file_for(request.user, pk)
    # Always a download, never rendered inline: an uploaded HTML file must not run on our origin.
    response = HttpResponse(bytes(file.content), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{file.filename.replace(chr(34), "")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _credential_context(cert: Certificate) -> dict[str, object]:
    return {
        "cert": cert,
        "verify_url": badges.verify_url(cert),
        "signed": signing.signing_key() is not None,
    }


def certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    cert = certificate_for(request.user, pk)
    return render(request, "learning/certificate.html", _credential_context(cert))


def _public(public_id: str) -> Certificate:
    cert = Certificate.objects.filter(public_id=public_id).select_related("tier", "user").first()
    if cert is None:
        raise Http404("No certificate has this number.")
    return cert


@login_not_required
@require_GET
def verify(request: AuthedRequest, public_id: str) -> HttpResponse:
    """Public: anyone with the link can check a certificate. Name, credential and date only."""
    cert = _public(public_id)
    return render(request, "learning/verify.html", _credential_context(cert))


@login_not_required
@require_GET
@cache_control(public=True, max_age=3600)
def verify_pdf(request: AuthedRequest, public_id: str) -> HttpResponse:
    cert = _public(public_id)
    response = HttpResponse(badges.certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{cert.tier.slug}.pdf"'
    return response


def _public_json(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    # Public documents with no cookies involved: browser-based verifiers may fetch them.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def verify_badge(request: AuthedRequest, public_id: str) -> JsonResponse:
    cert = _public(public_id)
    response = _public_json(badges.open_badge(cert))
    response["Content-Type"] = (
        "application/vc+ld+json" if request.GET.get("vc") else "application/json"
    )
    return response


@login_not_required
@require_GET
def verify_jwt(request: AuthedRequest, public_id: str) -> HttpResponse:
    """The signed credential (VC-JWT), as OB 3.0 §5.2 "Web Resource" serves one: text/plain."""
    cert = _public(public_id)
    token = badges.signed_badge(cert)
    if token is None:
        raise Http404("This installation does not sign its credentials.")
    response = HttpResponse(token, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def issuer(request: AuthedRequest, slug: str) -> JsonResponse:
    """The issuer Profile at a credential's `issuer.id`.

    Only for an organisation that has issued a certificate, so it tells nobody more than
    that organisation's public certificates already do.
    """
    organisation = (
        Organisation.objects.filter(slug=slug, people__certificates__isnull=False)
        .distinct()
        .first()
    )
    if organisation is None:
        raise Http404("No issuer has this address.")
    return _public_json(
        badges.issuer_profile(url=badges.issuer_url(organisation), name=organisation.name)
    )


@login_not_required
@require_GET
def issuer_platform(request: AuthedRequest) -> JsonResponse:
    """The installation's Profile: the issuer of certificates held by people in no organisation."""
    return _public_json(badges.issuer_profile(url=badges.issuer_url(None), name="PI Champion"))


@login_not_required
@require_GET
@cache_control(public=True, max_age=300)
def badge_keys(request: AuthedRequest) -> JsonResponse:
    """The JWKS: every key that verifies this installation's credentials (signing and retired)."""
    return _public_json({"keys": [key.published_jwk() for key in signing.published_keys()]})


@login_not_required
@require_GET
@cache_control(public=True, max_age=300)
def badge_key(request: AuthedRequest, thumbprint: str) -> JsonResponse:
    """One key as a JWK: what a credential's `kid` dereferences to. Revoked or unknown: 404."""
    for key in signing.published_keys():
        if key.thumbprint == thumbprint:
            return _public_json(key.published_jwk())
    raise Http404("No published key has this id.")
