"""政务信息资源目录: the resource catalog's pure rules (classification, codes, metadata,
life cycle, the national spreadsheet template)."""
