# Loads the benchmark data into a moto_server: moto's
# RegisterWorkspaceDirectory needs a directory from its own Directory Service
# mock, which needs an EC2 VPC with two subnets in its EC2 mock. Then N
# WorkSpaces through CreateWorkspaces. Prints the dataset as JSON.
#
#   python3 moto_setup.py ENDPOINT_URL N ACCESS_KEY REGION
import json
import sys

import boto3

endpoint, n, key, region = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key, aws_secret_access_key="x")
ec2 = boto3.client("ec2", **kw)
ds = boto3.client("ds", **kw)
ws = boto3.client("workspaces", **kw)

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnets = [
    ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=region + az)["Subnet"]["SubnetId"]
    for cidr, az in (("10.0.1.0/24", "a"), ("10.0.2.0/24", "b"))
]
directory = ds.create_directory(
    Name="corp.example.com", Password="Bench-Passw0rd!", Size="Small",
    VpcSettings={"VpcId": vpc, "SubnetIds": subnets},
)["DirectoryId"]
ws.register_workspace_directory(DirectoryId=directory, SubnetIds=subnets)

ids = []
for start in range(0, n, 25):
    reqs = [
        {"DirectoryId": directory, "UserName": "bench%06d" % i, "BundleId": "wsb-bh8rsxt14"}
        for i in range(start, min(n, start + 25))
    ]
    out = ws.create_workspaces(Workspaces=reqs)
    if out["FailedRequests"]:
        sys.exit("CreateWorkspaces failed: %r" % out["FailedRequests"][:1])
    ids += [w["WorkspaceId"] for w in out["PendingRequests"]]

account = boto3.client("sts", **kw).get_caller_identity()["Account"]
print(json.dumps({"account": account, "region": region, "directoryId": directory, "workspaces": ids}))
