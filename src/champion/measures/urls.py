"""URLs for measures: lists, definitions, the chart page, data entry, uploads and boards."""

from django.urls import path

from champion.measures.views import board, chart, data, imports, measures, refresh

app_name = "measures"

urlpatterns = [
    path("measures/", measures.index, name="index"),
    path("measures/new/", measures.create, name="create"),
    path("measures/which-chart/", measures.chooser, name="chooser"),
    path("measures/board/", board.board, name="board"),
    path("measures/re-analyse/", refresh.refresh, name="refresh"),
    path("measures/<int:pk>/", chart.detail, name="detail"),
    path("measures/<int:pk>/edit/", measures.edit, name="edit"),
    path("measures/<int:pk>/delete/", measures.delete, name="delete"),
    path("measures/<int:pk>/data/", data.data_entry, name="data"),
    path("measures/<int:pk>/upload/", imports.upload, name="upload"),
    path("measures/<int:pk>/upload/<int:item>/", imports.mapping, name="import"),
    path("measures/<int:pk>/upload/<int:item>/progress/", imports.progress, name="import-progress"),
    path("measures/<int:pk>/upload/<int:item>/discard/", imports.discard, name="import-discard"),
    path(
        "measures/<int:pk>/upload/<int:item>/errors.csv", imports.error_rows, name="import-errors"
    ),
    path("measures/<int:pk>/freeze/", chart.freeze, name="freeze"),
    path("measures/<int:pk>/<str:kind>/add/", chart.add_setting, name="setting-add"),
    path(
        "measures/<int:pk>/<str:kind>/<int:item>/remove/",
        chart.remove_setting,
        name="setting-remove",
    ),
    path("measures/<int:pk>/chart.<str:fmt>", chart.download_chart, name="chart-file"),
    path("measures/<int:pk>/data.csv", chart.download_csv, name="csv"),
    path("measures/<int:pk>/second-chart.json", chart.second_chart, name="second-chart"),
    path("measures/vega-embed-<str:version>.js", chart.vega_bundle, name="vega-bundle"),
]
