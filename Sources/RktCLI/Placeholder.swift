import PodRuntime
