// The example app (example/main.ts) in Go, as an app repository would write it.
//
//	go run .    # writes dist/rainbond-example.k8s.yaml (CDK8S_OUTDIR overrides dist)
//
// go.mod replaces the library's module with the one jsii-pacmak generates into ../../dist/go
// (.ci/jsii-targets), which runs this program and compares its output with the TypeScript example's,
// byte for byte.
package main

import (
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-rainbond/cdk8s-rainbond-go/cdk8srainbond"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2"
)

// NewShopChart builds the same chart as ShopChart in example/main.ts.
func NewShopChart(scope constructs.Construct, id string, props *cdk8s.ChartProps) cdk8s.Chart {
	chart := cdk8s.NewChart(scope, jsii.String(id), props)

	// Created by you before the first deploy, e.g.
	// kubectl -n shop create secret generic orders-db-credentials --from-literal=password=...
	ordersDbSecret := cdk8splus28.Secret_FromSecretName(chart, jsii.String("orders-db-credentials"), jsii.String("orders-db-credentials"))

	// Stateful single database: the official postgres image under the secure defaults (read-only root,
	// non-root): its own user (uid 999 in the image), the data in a subdirectory of the volume (a fresh
	// volume may hold lost+found), memoryfs volumes for the socket directory and /tmp.
	// A Go map has no order: jsii-runtime-go passes it sorted by key, so every port of the example
	// writes its maps in key order and synthesizes the same YAML.
	ordersDb := cdk8srainbond.NewRainbondComponent(chart, jsii.String("orders-db"), &cdk8srainbond.RainbondComponentProps{
		DeployType: cdk8srainbond.DeployType_STATEFUL_SINGLE,
		Containers: &[]*cdk8splus28.ContainerProps{{
			Image: jsii.String("postgres:16.4"),
			Ports: &[]*cdk8splus28.ContainerPort{{Number: jsii.Number(5432), Name: jsii.String("postgres")}},
			EnvVariables: &map[string]cdk8splus28.EnvValue{
				"PGDATA":            cdk8splus28.EnvValue_FromValue(jsii.String("/var/lib/postgresql/data/pgdata")),
				"POSTGRES_PASSWORD": cdk8splus28.EnvValue_FromSecretValue(&cdk8splus28.SecretValue{Secret: ordersDbSecret, Key: jsii.String("password")}, nil),
				"POSTGRES_USER":     cdk8splus28.EnvValue_FromValue(jsii.String("orders")),
			},
		}},
		SecurityContext: &cdk8splus28.PodSecurityContextProps{User: jsii.Number(999), Group: jsii.Number(999), FsGroup: jsii.Number(999)},
		Volumes: &[]*cdk8srainbond.ComponentVolume{
			{Name: jsii.String("data"), MountPath: jsii.String("/var/lib/postgresql/data"), Size: cdk8s.Size_Gibibytes(jsii.Number(20))},
			{Name: jsii.String("run"), MountPath: jsii.String("/var/run/postgresql"), Type: cdk8srainbond.VolumeType_MEMORYFS},
			{Name: jsii.String("tmp"), MountPath: jsii.String("/tmp"), Type: cdk8srainbond.VolumeType_MEMORYFS},
		},
		PortSettings: &[]*cdk8srainbond.ComponentPortSettings{{Port: jsii.Number(5432), Alias: jsii.String("ORDERS_DB")}},
		ConnectionInfo: &map[string]cdk8srainbond.ConnectionValue{
			"ORDERS_DB_PASSWORD": cdk8srainbond.ConnectionValue_FromSecretKey(ordersDbSecret, jsii.String("password")),
			"ORDERS_DB_USER":     cdk8srainbond.ConnectionValue_FromValue(jsii.String("orders")),
		},
	})

	// A three-member etcd cluster: Raft quorum 2, tolerates one failure.
	configStore := cdk8srainbond.NewRainbondComponent(chart, jsii.String("config-store"), &cdk8srainbond.RainbondComponentProps{
		DeployType: cdk8srainbond.DeployType_STATEFUL_MULTIPLE,
		Replicas:   jsii.Number(3),
		Preset:     cdk8srainbond.ClusterPreset_Etcd(nil),
	})

	// Stateless web front end: a Deployment with 3 replicas behind a ClusterIP Service. It depends on the
	// database and on etcd, reads a config file and writes /tmp.
	cdk8srainbond.NewRainbondComponent(chart, jsii.String("web"), &cdk8srainbond.RainbondComponentProps{
		DeployType: cdk8srainbond.DeployType_STATELESS_MULTIPLE,
		Replicas:   jsii.Number(3),
		Containers: &[]*cdk8splus28.ContainerProps{{
			Image:     jsii.String("nginxinc/nginx-unprivileged:1.27-alpine"),
			Ports:     &[]*cdk8splus28.ContainerPort{{Number: jsii.Number(8080), Name: jsii.String("http")}},
			Readiness: cdk8splus28.Probe_FromHttpGet(jsii.String("/"), &cdk8splus28.HttpGetProbeOptions{Port: jsii.Number(8080)}),
		}},
		Volumes: &[]*cdk8srainbond.ComponentVolume{
			{Name: jsii.String("tmp"), MountPath: jsii.String("/tmp"), Type: cdk8srainbond.VolumeType_MEMORYFS},
			{
				Name:      jsii.String("site-config"),
				MountPath: jsii.String("/etc/nginx/conf.d/default.conf"),
				Type:      cdk8srainbond.VolumeType_CONFIG_FILE,
				Content: jsii.String(strings.Join([]string{
					"server {",
					"    listen 8080;",
					"    location / { root /usr/share/nginx/html; index index.html; }",
					`    location = /healthz { return 200 "ok"; }`,
					"}",
					"",
				}, "\n")),
			},
		},
		Dependencies: &[]cdk8srainbond.RainbondComponent{ordersDb, configStore},
	})

	// Stateful multiple: ordered instances, each with its own claim and DNS name.
	cdk8srainbond.NewRainbondComponent(chart, jsii.String("search"), &cdk8srainbond.RainbondComponentProps{
		DeployType: cdk8srainbond.DeployType_STATEFUL_MULTIPLE,
		Replicas:   jsii.Number(3),
		Containers: &[]*cdk8splus28.ContainerProps{{
			Image: jsii.String("registry.example.com/search-node:2.3.1"),
			Ports: &[]*cdk8splus28.ContainerPort{
				{Number: jsii.Number(9200), Name: jsii.String("http")},
				{Number: jsii.Number(9300), Name: jsii.String("transport")},
			},
		}},
		Volumes: &[]*cdk8srainbond.ComponentVolume{
			{Name: jsii.String("index"), MountPath: jsii.String("/var/lib/search"), Size: cdk8s.Size_Gibibytes(jsii.Number(50)), StorageClassName: jsii.String("fast-ssd")},
		},
	})

	return chart
}

func main() {
	defer jsii.Close()
	app := cdk8s.NewApp(nil)
	NewShopChart(app, "rainbond-example", &cdk8s.ChartProps{Namespace: jsii.String("shop")})
	app.Synth()
}
