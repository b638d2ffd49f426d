from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """btree_gist lets one GiST index hold an equality (the interpreter) and
    a range overlap (the booked period): the no-double-booking constraint."""

    dependencies = []

    operations = [BtreeGistExtension()]
