from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_import_touched_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataimport",
            name="date_orders",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="What each column's slash dates say about day/month order (data.DateOrder).",
            ),
        ),
    ]
