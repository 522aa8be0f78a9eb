"""The digest of the application an Idempotency-Key first came with: a replay must repeat it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bundles', '0003_supervision_moves_out'),
    ]

    operations = [
        migrations.AddField(
            model_name='package',
            name='idempotency_digest',
            field=models.CharField(blank=True, help_text='带幂等键的首次申请（字段与文件的 SHA-256）的摘要：同一幂等键仅对相同申请返回首次结果', max_length=64, verbose_name='请求摘要'),
        ),
    ]
