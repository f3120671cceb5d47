"""The five standards of a demonstration innovation studio (the union's guidance, point 五)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Standard(models.TextChoices):
    POLITICAL = "political", _("Politically and ideologically sound (政治思想过硬)")
    BREAKTHROUGH = "breakthrough", _("Outstanding in tackling hard problems (攻坚克难突出)")
    ACHIEVEMENTS = "achievements", _("Rich in results (创建成果丰硕)")
    TALENT = "talent", _("Bringing up innovative talent (创新人才辈出)")
    SUPPORT = "support", _("Well supported (各项保障有力)")
