
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reporting', '0003_vietnamese_field_labels'),
        ('org', '0002_vietnamese_field_labels'),
        ('plans', '0005_vietnamese_field_labels'),
    ]

    # The tables of Period, Obligation, IndicatorReporter and Reminder already exist (made by the
    # reporting app's migrations, kept under their names): this app takes them over in the state only.
    state_operations = [
        migrations.CreateModel(
            name='Period',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_type', models.CharField(choices=[('quarterly', 'Quý'), ('semiannual', '6 tháng'), ('yearly', 'Năm')], max_length=12, verbose_name='loại kỳ')),
                ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                ('number', models.PositiveSmallIntegerField(verbose_name='số thứ tự trong năm')),
                ('label', models.CharField(max_length=40, verbose_name='kỳ')),
                ('start', models.DateField(verbose_name='từ ngày')),
                ('end', models.DateField(verbose_name='đến ngày')),
                ('data_from', models.DateField(verbose_name='số liệu từ ngày')),
                ('data_to', models.DateField(verbose_name='số liệu đến ngày')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='khóa sổ lúc')),
            ],
            options={
                'verbose_name': 'kỳ báo cáo',
                'verbose_name_plural': 'kỳ báo cáo',
                'db_table': 'reporting_period',
                'ordering': ['year', 'period_type', 'number'],
                'constraints': [models.UniqueConstraint(fields=('period_type', 'year', 'number'), name='period_once'), models.CheckConstraint(condition=models.Q(('data_to__gte', models.F('data_from'))), name='period_window_ordered')],
            },
        ),
        migrations.CreateModel(
            name='Obligation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due', models.DateField(verbose_name='hạn gửi')),
                ('window_from', models.DateField(verbose_name='số liệu từ ngày')),
                ('window_to', models.DateField(verbose_name='số liệu đến ngày')),
                ('admin_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='obligations', to='org.adminunit', verbose_name='đơn vị hành chính')),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='obligations', to='org.agency', verbose_name='cơ quan')),
                ('rule', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='plans.reportingrule', verbose_name='quy định báo cáo')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='obligations', to='obligations.period', verbose_name='kỳ báo cáo')),
            ],
            options={
                'verbose_name': 'nghĩa vụ báo cáo',
                'verbose_name_plural': 'nghĩa vụ báo cáo',
                'db_table': 'reporting_obligation',
                'ordering': ['period', 'due'],
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('due_soon', 'sắp đến hạn'), ('overdue', 'quá hạn')], max_length=10, verbose_name='lý do nhắc')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='gửi lúc')),
                ('recipients', models.JSONField(default=list, verbose_name='người nhận')),
                ('obligation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='obligations.obligation', verbose_name='nghĩa vụ báo cáo')),
            ],
            options={
                'verbose_name': 'lời nhắc hạn báo cáo',
                'verbose_name_plural': 'lời nhắc hạn báo cáo',
                'db_table': 'reporting_reminder',
            },
        ),
        migrations.CreateModel(
            name='IndicatorReporter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators_reported', to='org.agency', verbose_name='cơ quan báo cáo')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reporters', to='plans.indicator', verbose_name='chỉ tiêu')),
            ],
            options={
                'verbose_name': 'đơn vị báo cáo chỉ tiêu',
                'verbose_name_plural': 'đơn vị báo cáo chỉ tiêu',
                'db_table': 'reporting_indicatorreporter',
                'constraints': [models.UniqueConstraint(fields=('indicator', 'agency'), name='indicator_reporter_once')],
            },
        ),
        migrations.AddConstraint(
            model_name='obligation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agency__isnull', False), ('admin_unit__isnull', True)), models.Q(('agency__isnull', True), ('admin_unit__isnull', False)), _connector='OR'), name='obligation_one_reporter'),
        ),
        migrations.AddConstraint(
            model_name='obligation',
            constraint=models.UniqueConstraint(condition=models.Q(('agency__isnull', False)), fields=('rule', 'period', 'agency'), name='obligation_once_per_agency'),
        ),
        migrations.AddConstraint(
            model_name='obligation',
            constraint=models.UniqueConstraint(condition=models.Q(('admin_unit__isnull', False)), fields=('rule', 'period', 'admin_unit'), name='obligation_once_per_unit'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(fields=('obligation', 'kind'), name='reminder_once_per_reason'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
