"""The Processing algorithms declare the defaults the jobs' contracts (shared/jobs/) write: a key set by a
parameter has one default, whether the job comes from the dialog, the modeler, `qgis_process`, the panel
or a job file (docs/JOBS.md)."""

import pytest
from qgis.core import QgsApplication

from terraembed.shared.jobs import CONTRACTS


def declared(contract):
    """(key, parameter, the parameter's default, the contract's default) of every key a parameter sets."""
    alg = QgsApplication.processingRegistry().createAlgorithmById("terraembed:" + (contract.ALGORITHM or contract.TYPE))
    assert alg is not None, contract.TYPE
    for key in contract.all_keys():  # a nested dict's keys too (outputs.pca_components, source.scale)
        if not key["parameter"] or key["default"] == "required":
            continue
        names = key["parameter"] if isinstance(key["parameter"], tuple) else (key["parameter"],)
        defaults = key["default"] if isinstance(key["parameter"], tuple) else (key["default"],)
        for name, default in zip(names, defaults, strict=True):
            definition = alg.parameterDefinition(name)
            assert definition is not None, "%s has no parameter %s" % (alg.id(), name)
            if key["options"]:  # an enum: its default is the index of the contract's value
                default = key["options"].index(default) if default is not None else None
            yield key["name"], name, definition.defaultValue(), default


@pytest.mark.parametrize("job_type", sorted(CONTRACTS))
def test_every_parameter_declares_its_keys_default(job_type):
    pairs = list(declared(CONTRACTS[job_type]))
    assert pairs, "%s: no key names the parameter that sets it" % job_type
    for key, name, value, default in pairs:
        assert value == default, "%s: %s declares %r, the job's %r defaults to %r" % (
            job_type,
            name,
            value,
            key,
            default,
        )
