"""Lambda handlers deployed by the constructs: plain Python (stdlib and boto3), no CDK.

Each module is shipped as a function's inline source (``Code.ZipFile``) and tested here as code.
"""
