"""电子申请表: application forms per item version and per package (一表申请), a dictionary of shared data
elements, their JSON Schema publication, validation and prefill (减填写)."""
