"""The outcome of a contract's SROI obligation gets one place: ``Settlement`` in monitoring.

Contracts closed with an outcome on the follow-up get a settled ``Settlement`` with the same outcome
and reason; the amounts are what was approved when the follow-up was closed. The settlements
recorded after a final report are copied in by the migration of the app that kept them until now."""

from decimal import Decimal

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models
from django.db.models import Sum

ZERO = Decimal("0.00")


def outcomes_to_settlements(apps, schema_editor):
    ContractFollowUp = apps.get_model("monitoring", "ContractFollowUp")
    Realisation = apps.get_model("monitoring", "Realisation")
    Settlement = apps.get_model("monitoring", "Settlement")
    for follow_up in ContractFollowUp.objects.exclude(outcome="").select_related("contract"):
        contract = follow_up.contract
        approved = Realisation.objects.filter(contract=contract, status="approved").aggregate(t=Sum("value"))["t"] or ZERO
        obligation = contract.sroi_obligation or ZERO
        shortfall = max(obligation - approved, ZERO)
        closed_at = follow_up.closed_at or django.utils.timezone.now()
        Settlement.objects.create(
            organisation_id=contract.organisation_id, contract=contract, state="settled", obligation=obligation,
            outcome=follow_up.outcome, approved=approved, shortfall=shortfall, reason=follow_up.outcome_reason,
            final_outcome=follow_up.outcome, final_approved=approved, final_shortfall=shortfall,
            withholding_amount=ZERO, recorded_by_id=follow_up.closed_by_id, recorded_at=closed_at,
            settled_by_id=follow_up.closed_by_id, settled_at=closed_at,
        )


def settlements_to_outcomes(apps, schema_editor):
    ContractFollowUp = apps.get_model("monitoring", "ContractFollowUp")
    Settlement = apps.get_model("monitoring", "Settlement")
    for settlement in Settlement.objects.filter(state="settled"):
        ContractFollowUp.objects.filter(contract_id=settlement.contract_id).update(
            outcome=settlement.final_outcome or settlement.outcome,
            outcome_reason=settlement.reason or ("" if settlement.outcome == "realised" else "-"),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0001_initial'),
        ('monitoring', '0008_benchmark_figure'),
        ('wizzr', '0003_dutch_verbose_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Settlement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('state', models.CharField(choices=[('recovery', 'herstelperiode'), ('settled', 'afgerond')], max_length=10, verbose_name='stand')),
                ('obligation', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='SROI-verplichting')),
                ('outcome', models.CharField(choices=[('realised', 'gerealiseerd'), ('partly', 'deels gerealiseerd'), ('not_realised', 'niet gerealiseerd')], max_length=12, verbose_name='resultaat')),
                ('approved', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='goedgekeurde waarde')),
                ('shortfall', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='tekort')),
                ('reason', models.TextField(blank=True, verbose_name='toelichting')),
                ('recovery_deadline', models.DateField(blank=True, null=True, verbose_name='einde herstelperiode')),
                ('final_outcome', models.CharField(blank=True, choices=[('realised', 'gerealiseerd'), ('partly', 'deels gerealiseerd'), ('not_realised', 'niet gerealiseerd')], max_length=12, verbose_name='eindresultaat')),
                ('final_approved', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='goedgekeurde waarde na herstelperiode')),
                ('final_shortfall', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='tekort na herstelperiode')),
                ('withholding_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='inhouding of boete')),
                ('withholding_reason', models.TextField(blank=True, verbose_name='reden inhouding')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='vastgelegd op')),
                ('settled_at', models.DateTimeField(blank=True, null=True, verbose_name='afgerond op')),
                ('contract', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='settlement', to='contracts.contract', verbose_name='inkoopcontract')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wizzr.organisation')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('settled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'eindafrekening SROI',
                'verbose_name_plural': 'eindafrekeningen SROI',
            },
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(('shortfall__gte', 0)), name='settlement_shortfall_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(('withholding_amount__isnull', True), ('withholding_amount__gte', 0), _connector='OR'), name='settlement_withholding_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(('withholding_amount__isnull', True), ('withholding_amount', 0), models.Q(('withholding_reason', ''), _negated=True), _connector='OR'), name='settlement_withholding_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'recovery'), _negated=True), ('recovery_deadline__isnull', False), _connector='OR'), name='settlement_recovery_has_deadline'),
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'settled'), _negated=True), models.Q(('final_outcome', ''), _negated=True), _connector='OR'), name='settlement_settled_has_outcome'),
        ),
        migrations.RunPython(outcomes_to_settlements, settlements_to_outcomes),
        migrations.RemoveConstraint(
            model_name='contractfollowup',
            name='followup_reason_when_not_realised',
        ),
        migrations.RemoveField(
            model_name='contractfollowup',
            name='outcome',
        ),
        migrations.RemoveField(
            model_name='contractfollowup',
            name='outcome_reason',
        ),
    ]
