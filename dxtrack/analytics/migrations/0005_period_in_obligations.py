
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0004_vietnamese_field_labels'),
        ('obligations', '0001_initial'),
    ]

    # Period moved from reporting to obligations with its table: the foreign key changes in the
    # state only (the database's constraint already points at reporting_period).
    state_operations = [
        migrations.AlterField(
            model_name='periodaggregate',
            name='period',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='obligations.period'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
