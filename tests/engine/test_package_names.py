"""Distribution names: shell/locks.normalise (standard library only, used by the installer and by
the environment check) is PEP 503's normal form, the same as packaging's canonicalize_name."""

import glob
import os

import pytest
from packaging.utils import canonicalize_name

from terraembed.shared import locks

REQUIREMENTS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "requirements"
)
TRICKY = [
    "Scikit_Learn",
    "scikit--learn",
    "zope.interface",
    "Foo._-Bar",
    "ruamel.yaml.clib",
    "PyYAML",
    "nvidia_cuda_runtime_cu12",
    "a..b__c",
]


def _lock_names():
    names = set()
    for path in glob.glob(os.path.join(REQUIREMENTS, "*.lock")):
        names.update(name for name, _ in locks.read_lock(path).values())
    return sorted(names)


@pytest.mark.parametrize("name", TRICKY + _lock_names())
def test_normalise_is_pep503(name):
    assert locks.normalise(name) == canonicalize_name(name)
