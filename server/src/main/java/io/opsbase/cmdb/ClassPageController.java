package io.opsbase.cmdb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

import io.opsbase.cmdb.internal.ClassRepository;
import io.opsbase.platform.NotFoundException;

/**
 * {@code /cmdb/classes}: the CMDB schema as people read it — each class with its typed attributes,
 * its lifecycle and how many live CIs it has.
 */
@Controller
@RequestMapping("/cmdb/classes")
class ClassPageController {

    private final ClassRepository classes;
    private final CiSearch search;

    ClassPageController(ClassRepository classes, CiSearch search) {
        this.classes = classes;
        this.search = search;
    }

    @GetMapping
    String list(Model model) {
        List<CiClass> all = classes.findAll();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (CiClass c : all) {
            counts.put(c.name(), liveCount(c.name()));
        }
        model.addAttribute("classes", all);
        model.addAttribute("counts", counts);
        return "cmdb/classes";
    }

    @GetMapping("/{name}")
    String detail(@PathVariable String name, Model model) {
        CiClass ciClass = classes.findByName(name).orElseThrow(() -> new NotFoundException("Class", name));
        model.addAttribute("ciClass", ciClass);
        model.addAttribute("count", liveCount(name));
        return "cmdb/class";
    }

    private long liveCount(String className) {
        Long total = search.search(new CiQuery(className, null, List.of(), null, null, List.of(), "id", 1, null, false))
                .total();
        return total == null ? 0 : total;
    }
}
