"""China's commercial cryptography (SM2, SM3, SM4) behind small interfaces.

SM3 and SM4 come from ``cryptography`` (OpenSSL, compiled).
"""
