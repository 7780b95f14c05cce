"""Input and output shapes shared by actions and edges: ``XCreate``, ``XUpdate``, ``XPublic``."""
