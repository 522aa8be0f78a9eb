import pytest

from onewindow.catalog.tests.factories import UserFactory


@pytest.fixture
def editor(db):
    """A center admin (中心管理员) who maintains the catalog."""
    return UserFactory(username="editor", display_name="目录管理员")
