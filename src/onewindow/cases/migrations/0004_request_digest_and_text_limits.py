"""The digest of the request an Idempotency-Key first came with (a replay must repeat it), and the stated
maximum of the free-text columns (a form and the API read it; the database column is unchanged)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_one_daily_sequence'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='idempotency_digest',
            field=models.CharField(blank=True, help_text='带幂等键的首次请求（字段与文件的 SHA-256）的摘要：同一幂等键仅对相同请求返回首次结果', max_length=64, verbose_name='请求摘要'),
        ),
        migrations.AlterField(
            model_name='case',
            name='closed_reason',
            field=models.TextField(blank=True, max_length=2000, verbose_name='不予受理、撤回或终止理由'),
        ),
        migrations.AlterField(
            model_name='case',
            name='decision_reason',
            field=models.TextField(blank=True, max_length=2000, verbose_name='决定理由'),
        ),
        migrations.AlterField(
            model_name='case',
            name='legal_basis',
            field=models.TextField(blank=True, max_length=1000, verbose_name='法律依据'),
        ),
        migrations.AlterField(
            model_name='correctionnotice',
            name='note',
            field=models.TextField(blank=True, max_length=2000, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='extension',
            name='reason',
            field=models.TextField(max_length=2000, verbose_name='延期理由'),
        ),
        migrations.AlterField(
            model_name='suspension',
            name='reason',
            field=models.TextField(max_length=2000, verbose_name='事由'),
        ),
    ]
