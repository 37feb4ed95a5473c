"""URLs for ideas, mounted under /improve/ideas/."""

from django.urls import path

from champion.improvement.ideas import views, wall

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_new, name="new"),
    path("mine/", views.my_ideas, name="mine"),
    path("boards/", views.boards, name="boards"),
    path("boards/<int:unit_pk>/", views.board, name="board"),
    path("boards/<int:unit_pk>/settings/", views.board_settings, name="board-settings"),
    path("boards/<int:unit_pk>/wall-links/", wall.create, name="wall-create"),
    path("wall-links/<int:pk>/switch-off/", wall.revoke, name="wall-revoke"),
    # The wall screen itself: public, opened by the secret in the link (see ideas.wall).
    path("wall/<str:token>/", wall.show, name="wall"),
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/endorse/", views.idea_endorse, name="endorse"),
    path("<int:pk>/comment/", views.idea_comment, name="comment"),
    path("<int:pk>/respond/", views.idea_respond, name="respond"),
]
