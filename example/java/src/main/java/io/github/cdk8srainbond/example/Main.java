package io.github.cdk8srainbond.example;

import io.github.cdk8srainbond.ClusterPreset;
import io.github.cdk8srainbond.ComponentPortSettings;
import io.github.cdk8srainbond.ComponentVolume;
import io.github.cdk8srainbond.ConnectionValue;
import io.github.cdk8srainbond.DeployType;
import io.github.cdk8srainbond.RainbondComponent;
import io.github.cdk8srainbond.VolumeType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Size;
import org.cdk8s.plus28.ContainerPort;
import org.cdk8s.plus28.ContainerProps;
import org.cdk8s.plus28.EnvValue;
import org.cdk8s.plus28.HttpGetProbeOptions;
import org.cdk8s.plus28.ISecret;
import org.cdk8s.plus28.PodSecurityContextProps;
import org.cdk8s.plus28.Probe;
import org.cdk8s.plus28.Secret;
import org.cdk8s.plus28.SecretValue;
import software.constructs.Construct;

/** The example app (example/main.ts) in Java. */
public final class Main {
    /** The same chart as ShopChart in example/main.ts. */
    public static final class ShopChart extends Chart {
        public ShopChart(final Construct scope, final String id, final ChartProps props) {
            super(scope, id, props);
            // Created by you before the first deploy, e.g.
            // kubectl -n shop create secret generic orders-db-credentials --from-literal=password=...
            ISecret ordersDbSecret = Secret.fromSecretName(this, "orders-db-credentials", "orders-db-credentials");

            // Stateful single database: the official postgres image under the secure defaults (read-only
            // root, non-root): its own user (uid 999 in the image), the data in a subdirectory of the
            // volume (a fresh volume may hold lost+found), memoryfs volumes for the socket directory and /tmp.
            // Maps in key order (LinkedHashMap keeps it), like every port of the example.
            Map<String, EnvValue> env = new LinkedHashMap<>();
            env.put("PGDATA", EnvValue.fromValue("/var/lib/postgresql/data/pgdata"));
            env.put("POSTGRES_PASSWORD", EnvValue.fromSecretValue(SecretValue.builder().secret(ordersDbSecret).key("password").build()));
            env.put("POSTGRES_USER", EnvValue.fromValue("orders"));
            Map<String, ConnectionValue> connectionInfo = new LinkedHashMap<>();
            connectionInfo.put("ORDERS_DB_PASSWORD", ConnectionValue.fromSecretKey(ordersDbSecret, "password"));
            connectionInfo.put("ORDERS_DB_USER", ConnectionValue.fromValue("orders"));
            RainbondComponent ordersDb = RainbondComponent.Builder.create(this, "orders-db")
                    .deployType(DeployType.STATEFUL_SINGLE)
                    .containers(List.of(ContainerProps.builder()
                            .image("postgres:16.4")
                            .ports(List.of(ContainerPort.builder().number(5432).name("postgres").build()))
                            .envVariables(env)
                            .build()))
                    .securityContext(PodSecurityContextProps.builder().user(999).group(999).fsGroup(999).build())
                    .volumes(List.of(
                            ComponentVolume.builder().name("data").mountPath("/var/lib/postgresql/data").size(Size.gibibytes(20)).build(),
                            ComponentVolume.builder().name("run").mountPath("/var/run/postgresql").type(VolumeType.MEMORYFS).build(),
                            ComponentVolume.builder().name("tmp").mountPath("/tmp").type(VolumeType.MEMORYFS).build()))
                    .portSettings(List.of(ComponentPortSettings.builder().port(5432).alias("ORDERS_DB").build()))
                    .connectionInfo(connectionInfo)
                    .build();

            // A three-member etcd cluster: Raft quorum 2, tolerates one failure.
            RainbondComponent configStore = RainbondComponent.Builder.create(this, "config-store")
                    .deployType(DeployType.STATEFUL_MULTIPLE)
                    .replicas(3)
                    .preset(ClusterPreset.etcd())
                    .build();

            // Stateless web front end: a Deployment with 3 replicas behind a ClusterIP Service. It depends
            // on the database and on etcd, reads a config file and writes /tmp.
            RainbondComponent.Builder.create(this, "web")
                    .deployType(DeployType.STATELESS_MULTIPLE)
                    .replicas(3)
                    .containers(List.of(ContainerProps.builder()
                            .image("nginxinc/nginx-unprivileged:1.27-alpine")
                            .ports(List.of(ContainerPort.builder().number(8080).name("http").build()))
                            .readiness(Probe.fromHttpGet("/", HttpGetProbeOptions.builder().port(8080).build()))
                            .build()))
                    .volumes(List.of(
                            ComponentVolume.builder().name("tmp").mountPath("/tmp").type(VolumeType.MEMORYFS).build(),
                            ComponentVolume.builder()
                                    .name("site-config")
                                    .mountPath("/etc/nginx/conf.d/default.conf")
                                    .type(VolumeType.CONFIG_FILE)
                                    .content(String.join("\n",
                                            "server {",
                                            "    listen 8080;",
                                            "    location / { root /usr/share/nginx/html; index index.html; }",
                                            "    location = /healthz { return 200 \"ok\"; }",
                                            "}",
                                            ""))
                                    .build()))
                    .dependencies(List.of(ordersDb, configStore))
                    .build();

            // Stateful multiple: ordered instances, each with its own claim and DNS name.
            RainbondComponent.Builder.create(this, "search")
                    .deployType(DeployType.STATEFUL_MULTIPLE)
                    .replicas(3)
                    .containers(List.of(ContainerProps.builder()
                            .image("registry.example.com/search-node:2.3.1")
                            .ports(List.of(
                                    ContainerPort.builder().number(9200).name("http").build(),
                                    ContainerPort.builder().number(9300).name("transport").build()))
                            .build()))
                    .volumes(List.of(ComponentVolume.builder()
                            .name("index").mountPath("/var/lib/search").size(Size.gibibytes(50)).storageClassName("fast-ssd")
                            .build()))
                    .build();
        }
    }

    private Main() {
    }

    public static void main(final String[] args) {
        App app = new App();
        new ShopChart(app, "rainbond-example", ChartProps.builder().namespace("shop").build());
        app.synth();
    }
}
