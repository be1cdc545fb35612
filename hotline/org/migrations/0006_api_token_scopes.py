from django.db import migrations, models


class Migration(migrations.Migration):
    """Tokens get scopes. The tokens that exist already get all three: each keeps working where
    it worked (Open311 and the whole JSON API); a deployment narrows them with a new token."""

    dependencies = [
        ("org", "0005_field_names_in_the_glossary"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.CharField(
                blank=True,
                default="open311 api:read api:write",
                help_text=(
                    "Where the token works, separated by spaces: open311 (Open311's api_key), "
                    "api:read (reading the JSON API), api:write (acting through it)."
                ),
                max_length=64,
                verbose_name="scopes",
            ),
        ),
        # New tokens get the scopes they are made with (``hotline token create --scope``).
        migrations.AlterField(
            model_name="apitoken",
            name="scopes",
            field=models.CharField(
                blank=True,
                default="",
                help_text=(
                    "Where the token works, separated by spaces: open311 (Open311's api_key), "
                    "api:read (reading the JSON API), api:write (acting through it)."
                ),
                max_length=64,
                verbose_name="scopes",
            ),
        ),
    ]
