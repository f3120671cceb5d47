from django.core.management.base import BaseCommand
from tqdm import tqdm

from platform_core.demo import DEFAULT_PASSWORD, demo_steps, seed_demo


class Command(BaseCommand):
    help = "Load the Chinese demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of new demo accounts")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the database has users")

    def handle(self, *args, password: str, if_empty: bool, **options):
        from django.contrib.auth import get_user_model

        if if_empty and get_user_model().objects.exists():
            self.stdout.write("Demo data already present; skipping seed_demo.")
            return
        with tqdm(total=len(demo_steps()), desc="seed_demo", unit="step", file=self.stderr._out) as bar:

            def advance(label: str) -> None:
                bar.set_postfix_str(label)
                bar.update(1)

            seed_demo(password=password, progress=advance)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Demo logins (password: {password}): admin (union admin), poster (enterprise poster), "
            "leader1, leader2 (studio leaders), member1-member4, expert1, expert2"
        )
