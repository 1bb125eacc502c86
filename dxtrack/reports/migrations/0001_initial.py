
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reporting', '0003_vietnamese_field_labels'),
        ('obligations', '0001_initial'),
        ('org', '0002_vietnamese_field_labels'),
        ('plans', '0005_vietnamese_field_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables of Report, DataValue, TaskUpdate and ValidationRule already exist (made by the
    # reporting app's migrations, kept under their names): this app takes them over in the state only.
    state_operations = [
        migrations.CreateModel(
            name='Report',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'Đang soạn'), ('submitted', 'Đã gửi'), ('returned', 'Bị trả lại'), ('approved', 'Đã duyệt'), ('locked', 'Đã khóa')], default='draft', max_length=10, verbose_name='trạng thái')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='phiên bản')),
                ('results', models.TextField(blank=True, verbose_name='kết quả đạt được')),
                ('difficulties', models.TextField(blank=True, verbose_name='khó khăn, vướng mắc')),
                ('proposals', models.TextField(blank=True, verbose_name='đề xuất, kiến nghị')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='lập lúc')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='cập nhật lúc')),
                ('first_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='gửi lần đầu lúc')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='gửi lúc')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='duyệt / trả lại lúc')),
                ('return_reason', models.TextField(blank=True, verbose_name='lý do trả lại')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người duyệt / trả lại')),
                ('obligation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='report', to='obligations.obligation', verbose_name='nghĩa vụ báo cáo')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người gửi')),
            ],
            options={
                'verbose_name': 'báo cáo',
                'verbose_name_plural': 'báo cáo',
                'db_table': 'reporting_report',
                'ordering': ['obligation__period', 'obligation__due'],
            },
        ),
        migrations.CreateModel(
            name='DataValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name='giá trị')),
                ('numerator', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name='tử số')),
                ('denominator', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name='mẫu số')),
                ('comment', models.TextField(blank=True, verbose_name='giải trình')),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('admin_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.adminunit')),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.agency')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='values', to='plans.indicator')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='obligations.period')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='reports.report')),
            ],
            options={
                'verbose_name': 'số liệu',
                'verbose_name_plural': 'số liệu',
                'db_table': 'reporting_datavalue',
            },
        ),
        migrations.CreateModel(
            name='TaskUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('not_started', 'Chưa triển khai'), ('in_progress', 'Đang triển khai'), ('done', 'Đã hoàn thành')], default='not_started', max_length=12, verbose_name='tình trạng')),
                ('percent', models.PositiveSmallIntegerField(default=0, verbose_name='tiến độ (%)')),
                ('output', models.TextField(blank=True, verbose_name='sản phẩm đã có')),
                ('evidence_url', models.URLField(blank=True, max_length=500, verbose_name='đường dẫn minh chứng')),
                ('evidence_file', models.FileField(blank=True, max_length=300, upload_to='evidence/%Y/%m/', verbose_name='tệp minh chứng')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='task_updates', to='reports.report')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='updates', to='plans.task')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'cập nhật nhiệm vụ',
                'verbose_name_plural': 'cập nhật nhiệm vụ',
                'db_table': 'reporting_taskupdate',
            },
        ),
        migrations.CreateModel(
            name='ValidationRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='tên quy tắc')),
                ('message', models.CharField(max_length=500, verbose_name='thông báo')),
                ('left_part', models.CharField(choices=[('value', 'giá trị'), ('numerator', 'tử số'), ('denominator', 'mẫu số')], default='value', max_length=12, verbose_name='phần của vế trái')),
                ('operator', models.CharField(choices=[('<=', '≤'), ('<', '<'), ('==', '='), ('>=', '≥'), ('>', '>')], max_length=2, verbose_name='phép so sánh')),
                ('right_part', models.CharField(choices=[('value', 'giá trị'), ('numerator', 'tử số'), ('denominator', 'mẫu số')], default='value', max_length=12, verbose_name='phần của vế phải')),
                ('importance', models.CharField(choices=[('high', 'Cao — là lỗi, không gửi được'), ('medium', 'Trung bình — cảnh báo'), ('low', 'Thấp — cảnh báo')], default='medium', max_length=6, verbose_name='mức độ')),
                ('left', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.indicator', verbose_name='chỉ tiêu vế trái')),
                ('right', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.indicator', verbose_name='chỉ tiêu vế phải')),
            ],
            options={
                'verbose_name': 'quy tắc kiểm tra',
                'verbose_name_plural': 'quy tắc kiểm tra',
                'db_table': 'reporting_validationrule',
            },
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['status'], name='reporting_r_status_b3f463_idx'),
        ),
        migrations.AddIndex(
            model_name='datavalue',
            index=models.Index(fields=['indicator', 'period'], name='reporting_d_indicat_50c3af_idx'),
        ),
        migrations.AddConstraint(
            model_name='datavalue',
            constraint=models.UniqueConstraint(fields=('report', 'indicator'), name='datavalue_once_per_report'),
        ),
        migrations.AddConstraint(
            model_name='taskupdate',
            constraint=models.UniqueConstraint(fields=('report', 'task'), name='taskupdate_once_per_report'),
        ),
        migrations.AddConstraint(
            model_name='taskupdate',
            constraint=models.CheckConstraint(condition=models.Q(('percent__lte', 100)), name='taskupdate_percent_max_100'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
