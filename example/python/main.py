"""The example app (example/main.ts) in Python, as an app repo would write it.

    pip install cdk8s-rainbond
    python main.py          # writes dist/rainbond-example.k8s.yaml (CDK8S_OUTDIR overrides dist)

.ci/jsii-targets runs it against the wheel built from this repository and compares its output with
the TypeScript example's, byte for byte.
"""
from cdk8s import App, Chart, Size
import cdk8s_plus_28 as kplus
from constructs import Construct

from cdk8s_rainbond import (
    ClusterPreset,
    ComponentPortSettings,
    ComponentVolume,
    ConnectionValue,
    DeployType,
    RainbondComponent,
    VolumeType,
)


class ShopChart(Chart):
    def __init__(self, scope: Construct, id: str, *, namespace: str = None) -> None:
        super().__init__(scope, id, namespace=namespace)
        # Created by you before the first deploy, e.g.
        # kubectl -n shop create secret generic orders-db-credentials --from-literal=password=...
        orders_db_secret = kplus.Secret.from_secret_name(self, "orders-db-credentials", "orders-db-credentials")

        # Stateful single database: the official postgres image under the secure defaults (read-only
        # root, non-root): its own user (uid 999 in the image), the data in a subdirectory of the volume
        # (a fresh volume may hold lost+found), memoryfs volumes for the socket directory and /tmp.
        orders_db = RainbondComponent(
            self, "orders-db",
            deploy_type=DeployType.STATEFUL_SINGLE,
            containers=[kplus.ContainerProps(
                image="postgres:16.4",
                ports=[kplus.ContainerPort(number=5432, name="postgres")],
                env_variables={
                    "PGDATA": kplus.EnvValue.from_value("/var/lib/postgresql/data/pgdata"),
                    "POSTGRES_PASSWORD": kplus.EnvValue.from_secret_value(
                        kplus.SecretValue(secret=orders_db_secret, key="password")),
                    "POSTGRES_USER": kplus.EnvValue.from_value("orders"),
                },
            )],
            security_context=kplus.PodSecurityContextProps(user=999, group=999, fs_group=999),
            volumes=[
                ComponentVolume(name="data", mount_path="/var/lib/postgresql/data", size=Size.gibibytes(20)),
                ComponentVolume(name="run", mount_path="/var/run/postgresql", type=VolumeType.MEMORYFS),
                ComponentVolume(name="tmp", mount_path="/tmp", type=VolumeType.MEMORYFS),
            ],
            port_settings=[ComponentPortSettings(port=5432, alias="ORDERS_DB")],
            # in key order, like every port of the example (a Go map reaches the library sorted by key)
            connection_info={
                "ORDERS_DB_PASSWORD": ConnectionValue.from_secret_key(orders_db_secret, "password"),
                "ORDERS_DB_USER": ConnectionValue.from_value("orders"),
            },
        )

        # A three-member etcd cluster: Raft quorum 2, tolerates one failure.
        config_store = RainbondComponent(
            self, "config-store",
            deploy_type=DeployType.STATEFUL_MULTIPLE,
            replicas=3,
            preset=ClusterPreset.etcd(),
        )

        # Stateless web front end: a Deployment with 3 replicas behind a ClusterIP Service. It depends on
        # the database and on etcd, reads a config file and writes /tmp.
        RainbondComponent(
            self, "web",
            deploy_type=DeployType.STATELESS_MULTIPLE,
            replicas=3,
            containers=[kplus.ContainerProps(
                image="nginxinc/nginx-unprivileged:1.27-alpine",
                ports=[kplus.ContainerPort(number=8080, name="http")],
                readiness=kplus.Probe.from_http_get("/", port=8080),
            )],
            volumes=[
                ComponentVolume(name="tmp", mount_path="/tmp", type=VolumeType.MEMORYFS),
                ComponentVolume(
                    name="site-config",
                    mount_path="/etc/nginx/conf.d/default.conf",
                    type=VolumeType.CONFIG_FILE,
                    content="\n".join([
                        "server {",
                        "    listen 8080;",
                        "    location / { root /usr/share/nginx/html; index index.html; }",
                        '    location = /healthz { return 200 "ok"; }',
                        "}",
                        "",
                    ]),
                ),
            ],
            dependencies=[orders_db, config_store],
        )

        # Stateful multiple: ordered instances, each with its own claim and DNS name.
        RainbondComponent(
            self, "search",
            deploy_type=DeployType.STATEFUL_MULTIPLE,
            replicas=3,
            containers=[kplus.ContainerProps(
                image="registry.example.com/search-node:2.3.1",
                ports=[kplus.ContainerPort(number=9200, name="http"), kplus.ContainerPort(number=9300, name="transport")],
            )],
            volumes=[ComponentVolume(name="index", mount_path="/var/lib/search", size=Size.gibibytes(50),
                                     storage_class_name="fast-ssd")],
        )


if __name__ == "__main__":
    app = App()
    ShopChart(app, "rainbond-example", namespace="shop")
    app.synth()
