from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("leadership", "0001_maturity"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="action_plan",
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AddField(
            model_name="assessment",
            name="action_plan_updated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
