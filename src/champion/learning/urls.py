"""URLs for Learn: the catalogue, lessons, quizzes, exercises, evidence, certificates, team."""

from django.urls import path

from champion.learning.views import credentials, exercise, learn, quiz, team

app_name = "learning"

urlpatterns = [
    path("learn/", learn.index, name="index"),
    path("learn/lessons/<slug:slug>/", learn.lesson, name="lesson"),
    path("learn/lessons/<slug:slug>/read/", learn.mark_read, name="mark-read"),
    path("learn/lessons/<slug:slug>/quiz/", quiz.quiz, name="quiz"),
    path("learn/lessons/<slug:slug>/quiz/start/", quiz.start, name="quiz-start"),
    path("learn/lessons/<slug:slug>/exercise/", exercise.exercise, name="exercise"),
    path("learn/quiz/<int:pk>/", quiz.attempt, name="attempt"),
    path("learn/modules/<slug:slug>/", learn.module, name="module"),
    path("learn/evidence/<int:pk>/", credentials.submission_detail, name="submission"),
    path("learn/evidence/<int:pk>/review/", credentials.review, name="review"),
    path("learn/evidence/files/<int:pk>/", credentials.evidence_file, name="evidence-file"),
    path("learn/reviews/", credentials.reviews, name="reviews"),
    path("learn/certificates/<int:pk>/", credentials.certificate, name="certificate"),
    path("learn/team/", team.progress, name="team"),
    path("learn/people/<int:pk>/", team.learner, name="learner"),
    path("learn/team/completions.csv", team.export_csv, name="export-csv"),
    path("learn/team/completions-xapi.json", team.export_xapi, name="export-xapi"),
    path("learn/assignments/", team.assignments, name="assignments"),
    path("learn/assignments/<int:pk>/delete/", team.assignment_delete, name="assignment-delete"),
    path("learn/<slug:slug>/", learn.tier, name="tier"),
    path("learn/<slug:slug>/evidence/", credentials.evidence_form, name="evidence"),
    # Public: what verifiers of a signed Open Badge fetch (docs/learning.md, "Signed credentials").
    path("verify/keys/", credentials.badge_keys, name="badge-keys"),
    path("verify/keys/<str:thumbprint>", credentials.badge_key, name="badge-key"),
    path("verify/issuers/", credentials.issuer_platform, name="issuer-platform"),
    path("verify/issuers/<slug:slug>/", credentials.issuer, name="issuer"),
    # Public: anyone holding the unguessable link can check a certificate.
    path("verify/<str:public_id>/", credentials.verify, name="verify"),
    path("verify/<str:public_id>/certificate.pdf", credentials.verify_pdf, name="verify-pdf"),
    path("verify/<str:public_id>/credential.json", credentials.verify_badge, name="verify-badge"),
    path("verify/<str:public_id>/credential.jwt", credentials.verify_jwt, name="verify-jwt"),
]
