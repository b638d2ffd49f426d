from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Extensions later features rely on: pg_trgm (name search) and
    btree_gist (exclusion constraints on interpreter bookings)."""

    dependencies = [("core", "0001_initial")]

    operations = [TrigramExtension(), BtreeGistExtension()]
